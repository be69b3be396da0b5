"""Built-in word lists: stop words, compound parts and synonym groups for neighbourhood themes."""

STOP_WORDS: frozenset[str] = frozenset(
    """
    aan al alle alles als altijd ander andere anders ben bij bijna binnen daar daarom dan dat de der
    deze die dit doch doen door dus een eens en er erin eruit erbij ge geen geweest haar had heb hebben
    heeft hem het hier hij hoe hun iemand iets ik in is ja je jij jou jouw kan kon kunnen maar me meer
    men met mij mijn moet na naar niet niets nog nu of om omdat onder ons onze ook op over reeds s t te
    tegen toch toen tot u uit uw van veel voor want waren was wat we wel werd wezen wie wij wil worden
    wordt zal ze zelf zich zij zijn zo zonder zou a about an and are as at be by for from has have how i
    if into is it its of on or our so that the their them then there these they this to us was we were
    what when where which who will with you your
    """.split()  # noqa: SIM905 - a word list reads best as words
)

# Words a compound may be built from (Dutch allows buurt+moestuin, speel+tuin, kinder+boerderij ...).
COMPOUND_PARTS: frozenset[str] = frozenset(
    """
    aed afval avond bak bakken bank bewoner bewoners bibliotheek bij bloem bloemen boek boeken boom
    bomen boerderij bos brood buiten buren buurt cafe centrum club compost cultuur dag dak daken dans
    dier dieren disco eet eten feest fiets film gevel groen groente hal herfst hof hond honden hotel
    huis huiswerk jaar jeugd jong jongeren kas keuken kind kinder kinderen klas klimaat klus kook koor
    kunst kweek les lessen lente licht markt maaltijd maatje middag moes moestuin muziek muur natuur
    nacht ochtend oma opa oud ouder ouderen park pad pluk plaats plant planten plein podium pop regen
    repair ruil school speel spel spelen sport straat stoep taal tafel tegel tegels theater toneel ton
    tuin tuinen vijver vogel voedsel voetbal vrouwen weg werk wijk winkel winter worm wormen zomer zwerf
    zwem
    """.split()  # noqa: SIM905 - a word list reads best as words
)

# Synonym groups: concept code -> words and phrases (Dutch and English) that express it.
CONCEPTS: dict[str, tuple[str, ...]] = {
    "eenzaamheid": (
        "eenzaamheid",
        "eenzaam",
        "eenzame",
        "ouderen ontmoeten",
        "isolement",
        "alleenstaand",
        "loneliness",
        "lonely",
        "isolation",
    ),
    "ontmoeting": (
        "ontmoeting",
        "ontmoeten",
        "ontmoet",
        "ontmoetingsplek",
        "samenkomen",
        "verbinding",
        "verbinden",
        "buurtcontact",
        "gezellig",
        "koffieochtend",
        "meeting",
        "community",
        "together",
    ),
    "groen": (
        "groen",
        "groene",
        "tuin",
        "tuinen",
        "tuinieren",
        "plantenbakken",
        "plantenbak",
        "planten",
        "plant",
        "bloembakken",
        "bloemen",
        "bomen",
        "boom",
        "geveltuin",
        "moestuin",
        "vergroenen",
        "vergroening",
        "natuur",
        "park",
        "green",
        "garden",
        "gardening",
        "plants",
        "trees",
        "nature",
    ),
    "jongeren": (
        "jongeren",
        "jongere",
        "tieners",
        "tiener",
        "pubers",
        "jeugd",
        "jeugdactiviteiten",
        "jongerenwerk",
        "youth",
        "teenagers",
        "teens",
        "young people",
    ),
    "kinderen": ("kinderen", "kind", "kids", "speeltuin", "spelen", "children", "child", "playground"),
    "ouderen": ("ouderen", "senioren", "bejaarden", "oudere", "elderly", "seniors", "older people"),
    "sport": (
        "sport",
        "sporten",
        "bewegen",
        "beweging",
        "voetbal",
        "fitness",
        "bootcamp",
        "exercise",
        "sports",
    ),
    "eten": (
        "koken",
        "kookles",
        "kooklessen",
        "maaltijd",
        "maaltijden",
        "eten",
        "samen eten",
        "buurtmaaltijd",
        "cooking",
        "cook",
        "meal",
        "meals",
        "food",
    ),
    "cultuur": (
        "cultuur",
        "kunst",
        "muziek",
        "theater",
        "concert",
        "optreden",
        "podium",
        "film",
        "expositie",
        "dans",
        "culture",
        "art",
        "music",
        "dance",
    ),
    "schoon": (
        "zwerfafval",
        "zwerfvuil",
        "afval",
        "grofvuil",
        "opruimen",
        "schoonmaken",
        "schoon",
        "prikken",
        "litter",
        "waste",
        "clean",
        "cleanup",
    ),
    "duurzaamheid": (
        "duurzaamheid",
        "duurzaam",
        "klimaat",
        "energie",
        "circulair",
        "zonnepanelen",
        "recycling",
        "sustainability",
        "sustainable",
        "climate",
        "energy",
    ),
    "armoede": ("armoede", "schulden", "voedselbank", "minima", "arm", "poverty", "debt", "food bank"),
    "taal": ("taal", "taalles", "taalcafe", "taalmaatje", "nederlands leren", "language", "dutch lessons"),
    "veiligheid": ("veiligheid", "veilig", "veilige", "verlichting", "hardrijden", "safety", "safe"),
    "gezondheid": ("gezondheid", "gezond", "gezonde leefstijl", "overgewicht", "health", "healthy"),
    "onderwijs": (
        "onderwijs",
        "huiswerk",
        "huiswerkbegeleiding",
        "bijles",
        "school",
        "education",
        "tutoring",
    ),
}

# Labels used in reasons for concept codes.
CONCEPT_LABELS_NL: dict[str, str] = {
    "eenzaamheid": "eenzaamheid",
    "ontmoeting": "ontmoeting",
    "groen": "groen",
    "jongeren": "jongeren",
    "kinderen": "kinderen",
    "ouderen": "ouderen",
    "sport": "sport en bewegen",
    "eten": "koken en eten",
    "cultuur": "kunst en cultuur",
    "schoon": "schone buurt",
    "duurzaamheid": "duurzaamheid",
    "armoede": "armoede",
    "taal": "taal",
    "veiligheid": "veiligheid",
    "gezondheid": "gezondheid",
    "onderwijs": "onderwijs",
}
