"""Dutch first and last names for demo residents.

The lists mix generations (a stadsdorp has more Riets and Henks than Sems and
Noors) and the Netherlands' larger migrant communities. Last names keep their
tussenvoegsel in lower case, as it is written after a first name.
"""

OLDER_FIRST_NAMES = (
    "Gerrit", "Henk", "Johanna", "Riet", "Wim", "Truus", "Joke", "Cor", "Hennie", "Gerda",
    "Jan", "Piet", "Klaas", "Annie", "Bep", "Toos", "Ria", "Hendrik", "Bernard", "Dinie",
    "Marietje", "Kees", "Ans", "Greet", "Theo", "Wil", "Herman", "Trees", "Fokje", "Aaltje",
    "Jannes", "Geesje", "Harm", "Mien", "Rinus", "Lies", "Frans", "Nel", "Dirk", "Corrie",
)  # fmt: skip

YOUNGER_FIRST_NAMES = (
    "Sanne", "Daan", "Lotte", "Bram", "Femke", "Thijs", "Eva", "Ruben", "Noor", "Sem",
    "Lisa", "Jesse", "Anouk", "Niels", "Iris", "Tim", "Marloes", "Joost", "Esther", "Sander",
    "Fatima", "Mohammed", "Yusuf", "Ayşe", "Emre", "Samira", "Priya", "Mei", "Björn", "Zoë",
    "Chloë", "Lieke", "Maarten", "Inge", "Wouter", "Merel", "Koen", "Janneke", "Bas", "Hanneke",
)  # fmt: skip

LAST_NAMES = (
    "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser", "Smit", "Meijer",
    "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen",
    "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
    "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel",
    "van der Veen", "van den Broek", "de Bruijn", "de Jong", "Schouten", "van Beek",
    "Willems", "van Vliet", "Hoekstra", "Maas", "Verhoeven", "Koster", "van Dam",
    "van der Wal", "Prins", "Blom", "Huisman", "Kaya", "Yılmaz", "El Amrani", "Bouzid",
    "ter Horst", "te Winkel", "Wikkerink", "Lammers", "Klein Gunnewiek", "Hulshof",
    "Wassink", "Nijhof", "Scholten", "Bruggink", "van 't Hof", "in 't Veld", "Kuipers",
    "Postma", "van Wijk", "de Lange", "Timmermans", "Veenstra", "Boersma", "Kramer",
)  # fmt: skip
