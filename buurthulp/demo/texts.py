"""What demo residents ask for and offer, in their own words."""

from buurthulp.listings.models import Category as C

# Per category: (title, description) of a help request.
REQUESTS: dict[C, tuple[tuple[str, str], ...]] = {
    C.GROCERIES: (
        (
            "Boodschappen doen",
            "Ik kom slecht de deur uit sinds mijn heupoperatie. Lijstje ligt klaar.",
        ),
        ("Boodschappen bij de supermarkt", "Een paar zware dingen: melk, aardappelen, kattenbak."),
        ("Medicijnen ophalen bij de apotheek", "Ze liggen klaar op mijn naam, het is al betaald."),
        ("Weekboodschappen", "Mijn dochter woont ver weg. Wie wil mij wekelijks helpen?"),
    ),
    C.DOG_WALKING: (
        (
            "Hond uitlaten",
            "Bobby is een rustige labrador van tien jaar, een half uurtje is genoeg.",
        ),
        ("Iemand voor een rondje met de hond", "Mijn knie is geopereerd, ik mag nog niet lopen."),
        ("Hond uitlaten in de avond", "Kleine terriër, lief maar trekt wat aan de lijn."),
    ),
    C.TRANSPORT: (
        ("Lift naar het ziekenhuis", "Afspraak bij de polikliniek; terug met de bus lukt wel."),
        (
            "Vervoer naar de huisarts",
            "Ik kan zelf niet meer autorijden. Rolstoel past in de kofferbak.",
        ),
        ("Rit naar de kapper", "Het is maar een paar kilometer, maar te ver om te lopen."),
        ("Lift naar de begraafplaats", "Ik ga graag even naar het graf van mijn man."),
    ),
    C.ODD_JOBS: (
        ("Lamp ophangen in de gang", "Ik durf zelf niet meer op de trap te staan."),
        ("Kastje aan de muur hangen", "Boren en pluggen heb ik, het ophangen lukt me niet."),
        ("Lekkende kraan", "De keukenkraan drupt. Misschien alleen een nieuw rubbertje?"),
        ("Rookmelder vervangen", "Hij piept steeds, de batterij zit te hoog voor mij."),
    ),
    C.GARDEN: (
        ("Heg snoeien", "Een ligusterhaag van zo'n acht meter. Snoeischaar is er."),
        ("Hulp in de tuin", "Onkruid wieden en de borders bijhouden, ik kan niet meer bukken."),
        ("Tuinafval wegbrengen", "Een paar zakken snoeiafval naar de milieustraat."),
        ("Gras maaien", "Klein gazon achter het huis, maaier staat in de schuur."),
    ),
    C.COMPANY: (
        ("Koffie en een praatje", "Sinds mijn vrouw overleden is, is het stil in huis."),
        ("Samen wandelen", "Ik wandel graag, maar liever niet alleen. Rustig tempo."),
        ("Voorlezen", "Mijn ogen worden slechter. Wie leest mij de krant voor?"),
        ("Spelletje spelen", "Klaverjassen of rummikub, ik heb alles in huis."),
    ),
    C.PAPERWORK: (
        (
            "Hulp met post en rekeningen",
            "Ik raak het overzicht kwijt in de brieven van instanties.",
        ),
        ("Formulier huurtoeslag invullen", "Ik begrijp niet goed wat ze vragen."),
        ("Belastingaangifte", "Eenvoudige aangifte, vorig jaar deed mijn zoon het."),
    ),
    C.COMPUTER_HELP: (
        ("Hulp met de DigiD-app", "Ik krijg de app niet aan de praat op mijn nieuwe telefoon."),
        ("Videobellen met de kleinkinderen", "Hoe werkt dat op de tablet?"),
        ("Printer installeren", "Nieuwe printer, de laptop ziet hem niet."),
        ("Internetbankieren leren", "Mijn bank stopt met papieren overschrijvingen."),
    ),
    C.MEAL: (
        ("Warme maaltijd", "Na mijn ziekenhuisopname kook ik even niet. Een bord eten is welkom."),
        ("Samen koken", "Ik kook graag, maar voor één persoon is het zo weinig."),
        ("Soep voor deze week", "Ik ben herstellende van griep."),
    ),
    C.OTHER: (
        ("Gordijnen ophangen", "Nieuwe gordijnen, de rails zitten hoog."),
        ("Kat voeren tijdens ziekenhuisopname", "Drie dagen, twee keer per dag."),
        ("Oud papier naar de container", "Een paar dozen, de container staat op de hoek."),
    ),
}

# (title, description, categories) of a help offer; transport needs a car.
OFFERS: tuple[tuple[str, str, tuple[C, ...]], ...] = (
    (
        "Boodschappen op de fiets",
        "Ik doe toch mijn eigen boodschappen, dan neem ik die van u mee.",
        (C.GROCERIES,),
    ),
    (
        "Boodschappen en apotheek",
        "Ook grote boodschappen; ik heb een bakfiets.",
        (C.GROCERIES, C.OTHER),
    ),
    (
        "Hondenliefhebber",
        "Ik heb zelf geen hond meer en mis het wandelen.",
        (C.DOG_WALKING, C.COMPANY),
    ),
    (
        "Lift met de auto",
        "Naar huisarts, ziekenhuis of familie in de buurt.",
        (C.TRANSPORT, C.GROCERIES),
    ),
    ("Handige klusser", "Lampen, kastjes, kranen: kleine klussen in huis.", (C.ODD_JOBS, C.OTHER)),
    ("Tuinieren is mijn hobby", "Snoeien, maaien en wieden, eigen gereedschap.", (C.GARDEN,)),
    ("Een kop koffie samen", "Ik kom graag langs voor een praatje of een spelletje.", (C.COMPANY,)),
    ("Wandelmaatje", "Samen een ommetje maken, in uw tempo.", (C.COMPANY, C.DOG_WALKING)),
    (
        "Hulp met papieren",
        "Oud-boekhouder; ik help met post, formulieren en toeslagen.",
        (C.PAPERWORK,),
    ),
    (
        "Computer en telefoon",
        "Uitleg over tablet, telefoon, DigiD en videobellen.",
        (C.COMPUTER_HELP, C.PAPERWORK),
    ),
    ("Een bord eten extra", "Ik kook elke dag en maak graag een portie meer.", (C.MEAL,)),
    ("Klussen en tuin", "Ik ben met pensioen en heb tijd over.", (C.ODD_JOBS, C.GARDEN)),
    (
        "Van alles een beetje",
        "Boodschappen, een klusje of gezelschap: vraag het maar.",
        (C.GROCERIES, C.ODD_JOBS, C.COMPANY),
    ),
)

RESPONSE_MESSAGES = (
    "Dat wil ik graag doen. Ik woon vlakbij.",
    "Ik kan helpen, bel me gerust.",
    "Dit past goed bij mijn rooster, ik help u graag.",
    "Ik heb er ervaring mee, zeg maar wanneer.",
    "",
)
