"""Words the seeded data is made of: people, places, companies and phrases."""

# fmt: off
FIRST_NAMES = (
    "Aaron", "Abigail", "Adrian", "Alicia", "Andre", "Angela", "Ben", "Brianna",
    "Caleb", "Carmen", "Chris", "Dana", "Daniel", "Deborah", "Diego", "Elena",
    "Eric", "Erin", "Felipe", "Gloria", "Grant", "Hannah", "Hector", "Isaac",
    "Jasmine", "Jared", "Jenna", "Jorge", "Julia", "Kayla", "Keith", "Kendra",
    "Kevin", "Laura", "Leon", "Lindsey", "Luis", "Maria", "Marcus", "Megan",
    "Miguel", "Monica", "Nathan", "Nicole", "Omar", "Paige", "Patrick", "Priya",
    "Rachel", "Raymond", "Rosa", "Ryan", "Samantha", "Sean", "Sofia", "Tanya",
    "Travis", "Tyler", "Vanessa", "Victor", "Wendy", "Wesley", "Yolanda", "Zach",
)

LAST_NAMES = (
    "Alvarez", "Anderson", "Baker", "Bennett", "Brooks", "Castillo", "Chen",
    "Coleman", "Delgado", "Dixon", "Ellis", "Fischer", "Flores", "Foster", "Garcia",
    "Gonzales", "Grant", "Hansen", "Harper", "Hayes", "Herrera", "Hughes", "Jensen",
    "Johnson", "Keller", "Kim", "Larsen", "Lopez", "Marsh", "Martinez", "Mendoza",
    "Meyer", "Morales", "Murphy", "Nguyen", "Olsen", "Ortiz", "Patel", "Perry",
    "Quintana", "Ramirez", "Reyes", "Romero", "Ross", "Sandoval", "Schmidt", "Shaw",
    "Silva", "Stewart", "Sullivan", "Thompson", "Torres", "Tran", "Vasquez",
    "Wagner", "Walsh", "Whitaker", "Wolfe", "Young",
)

STREETS = (
    "Aspen", "Bear Creek", "Birch", "Blue Spruce", "Cedar", "Cherry Creek",
    "Clear Creek", "Columbine", "Cottonwood", "Elk Ridge", "Evergreen", "Fox Run",
    "Granite", "Hampden", "Juniper", "Kipling", "Lookout", "Maple", "Meadowlark",
    "Mesa", "Mountain View", "Oak", "Pine", "Ponderosa", "Quail", "Red Rocks",
    "Ridge", "Sheridan", "Silver Sage", "Summit", "Timberline", "Wadsworth",
    "Willow", "Yarrow",
)
STREET_SUFFIXES = ("St", "Ave", "Dr", "Ct", "Way", "Ln", "Blvd", "Rd", "Pl", "Cir")

# (city, ZIP code, pricing zone): the mountain towns cost more to reach.
CITIES = (
    ("Denver", "80205", None), ("Denver", "80210", None), ("Denver", "80219", None),
    ("Aurora", "80012", None), ("Aurora", "80016", None),
    ("Lakewood", "80226", None), ("Arvada", "80002", None),
    ("Golden", "80401", None), ("Littleton", "80120", None),
    ("Englewood", "80110", None), ("Westminster", "80031", None),
    ("Thornton", "80229", None), ("Broomfield", "80020", None),
    ("Centennial", "80112", None), ("Parker", "80134", None),
    ("Castle Rock", "80104", None), ("Commerce City", "80022", None),
    ("Evergreen", "80439", "mountain"), ("Conifer", "80433", "mountain"),
    ("Idaho Springs", "80452", "mountain"), ("Bailey", "80421", "mountain"),
)

COMPANY_STEMS = (
    "Front Range", "Mile High", "Red Rocks", "Clear Creek", "Cherry Creek",
    "Blue Spruce", "Bear Creek", "Granite Peak", "Aspen Ridge", "Platte River",
    "Columbine", "Foothills", "Timberline", "High Plains", "Sawtooth", "Lone Cone",
    "Silver Plume", "Continental", "Pikeview", "Sandstone",
)
CONTRACTOR_TRADES = (
    "Builders", "Construction", "Roofing", "Remodeling", "Custom Homes", "Concrete",
    "Excavating", "Landscaping", "Renovations", "Framing",
)
COMMERCIAL_KINDS = (
    "Property Management", "Apartments", "Self Storage", "Community Church",
    "Brewing Co.", "Auto Body", "Hardware", "Medical Plaza", "Charter School",
    "Hotel", "Distribution", "Office Park",
)
TAX_EXEMPT_KINDS = ("Community Church", "Charter School")

BUSINESS_NAMES = (
    "Front Range Roll-Off", "Mile High Dumpsters & Hauling",
    "Peak Container Service", "Red Rocks Disposal",
    "Clear Creek Roll-Off & Junk Removal",
)
# fmt: on

CONTACT_TITLES = {
    "commercial": (
        "Facilities Manager",
        "Property Manager",
        "Accounts Payable",
        "Maintenance Lead",
        "Office Manager",
        "General Manager",
    ),
    "contractor": (
        "Owner",
        "Project Manager",
        "Site Superintendent",
        "Estimator",
        "Office Manager",
    ),
    "residential": (None,),
}

TAGS = {
    "residential": ("repeat", "referral", "hoa", "prefers-text", "gate-code"),
    "commercial": ("net-terms", "po-required", "vip", "weekly-service", "gate-code"),
    "contractor": ("repeat", "vip", "po-required", "new-construction", "roofing"),
}

ACCESS_NOTES = (
    "Gate code 4821#. Close the gate behind you.",
    "Place the container on the left side of the driveway; boards under wheels.",
    "Call the site superintendent on arrival.",
    "Low power line over the alley: deliver from the street.",
    "Steep driveway: no deliveries when icy.",
    "Loading dock is behind the building; enter from the side street.",
)

NOTE_BODIES = (
    "Prefers morning deliveries; the driveway is shared with a neighbour.",
    "Asked for a call 30 minutes before arrival.",
    "Pays by check; mail invoices to the attention of accounts payable.",
    "Disputed the tonnage on the last pickup; scale ticket photo sent.",
    "Referred by a neighbour; offered first-rental discount.",
    "Keep containers off the lawn: sprinkler heads along the edge.",
    "Needs a PO number on every invoice.",
    "Wants a recurring swap every other Friday during the project.",
    "Dog in the yard; do not open the side gate.",
    "Asked about concrete rates for next month's patio tear-out.",
)

FACILITIES = (
    "Denver Arapahoe Disposal Site",
    "Tower Road Landfill",
    "Foothills Landfill",
    "Front Range Landfill",
    "Commerce City Recycling Center",
    "Clear Creek Transfer Station",
)

TASK_FAILURES = (
    "Container blocked by a parked vehicle.",
    "Gate locked and nobody on site.",
    "Container overloaded above the rim; client asked to level it.",
    "Prohibited items in the load (paint cans).",
)

PAYMENT_FAILURES = {
    "card": (
        "Card declined: insufficient funds.",
        "Card declined: do not honor.",
        "Card expired.",
        "Card declined: incorrect CVC.",
    ),
    "ach": ("ACH return R01: insufficient funds.", "ACH return R03: no account."),
}

CARD_BRANDS = ("Visa", "Mastercard", "American Express", "Discover")
BANKS = ("FirstBank", "Wells Fargo", "Alpine Bank", "Chase", "Bellco Credit Union")

DECLINE_REASONS = (
    "Went with a cheaper quote.",
    "Project postponed until spring.",
    "Decided to haul it ourselves.",
)

SERVICE_REQUEST_NOTES = {
    "delivery": "Need a dumpster for a kitchen remodel, please.",
    "pickup": "The container is full, please pick it up.",
    "exchange": "Please swap the container, it's full and we're not done.",
    "junk_removal": "Old couch, a fridge and about ten boxes in the garage.",
    "other": "Can we get a second container at the same address?",
}

MATERIAL_LABELS = {
    "general_debris": "general debris",
    "construction": "construction debris",
    "roofing": "roofing shingles",
    "concrete": "clean concrete",
    "dirt": "clean dirt",
    "yard_waste": "yard waste",
    "mixed_recycling": "mixed recycling",
}

# Net tons per cubic yard of each material, on average.
MATERIAL_DENSITY = {
    "general_debris": 0.12,
    "construction": 0.18,
    "roofing": 0.3,
    "concrete": 0.6,
    "dirt": 0.55,
    "yard_waste": 0.08,
    "mixed_recycling": 0.07,
}
