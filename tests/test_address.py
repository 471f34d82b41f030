import pytest

from eventscout.scrapers.address import split_location


@pytest.mark.parametrize("text, name, street, city, region, postal", [
    ("Buckhead Club, 3344 Peachtree Rd, Atlanta, GA 30326", "Buckhead Club", "3344 Peachtree Rd", "Atlanta", "GA", "30326"),
    ("1867 W. Market St., Entrance A, Akron, OH", None, "1867 W. Market St., Entrance A", "Akron", "OH", None),
    ("The Westin, Chicago, IL", "The Westin", None, "Chicago", "IL", None),
    ("MTCC, 255 Front St W, Toronto, ON M5V 2W6, Canada", "MTCC", "255 Front St W", "Toronto", "ON", "M5V 2W6"),
    ("O2 Academy, 211 Stockwell Road, London SW9 9SL, UK", "O2 Academy", "211 Stockwell Road", "London", None, "SW9 9SL"),
    ("Hauptstr. 5, 10115 Berlin, Germany", None, "Hauptstr. 5", "Berlin", None, "10115"),
    ("Zoom", "Zoom", None, None, None, None),
    # a town and its state alone; a venue and a state alone keeps the venue's name
    ("Savannah, GA", None, None, "Savannah", "GA", None), ("St. Louis, MO, USA", None, None, "St. Louis", "MO", None),
    ("Grand Hotel, GA", "Grand Hotel", None, None, "GA", None),
    # a town after the street, with no state or postcode after it; a unit or a sentence's words are no town
    ("Loudermilk Center, 40 Courtland St NE, Atlanta", "Loudermilk Center", "40 Courtland St NE", "Atlanta", None,
     None),
    ("900 Baxter St., Charlotte NC", None, "900 Baxter St.", "Charlotte", "NC", None),
    ("100 Main St, Suite B", None, "100 Main St, Suite B", None, None, None),
    # a venue with its address in brackets; a venue, a dash and its street; a town, state and zip with no comma
    ("The Hub (123 Main St, Atlanta, GA)", "The Hub", "123 Main St", "Atlanta", "GA", None),
    ("Ponce City Market - 675 Ponce De Leon Ave NE, Atlanta GA 30308", "Ponce City Market",
     "675 Ponce De Leon Ave NE", "Atlanta", "GA", "30308"),
    ("Covenant Church, 10 Elm Avenue, Cleveland Ohio 44111", "Covenant Church", "10 Elm Avenue", "Cleveland",
     "Ohio", "44111"),
    ("Town Hall (Room 2)", "Town Hall (Room 2)", None, None, None, None),
    # a venue's name that reads like a street, before a numbered street
    ("St. Mark's Church, 100 Main St, Decatur, GA", "St. Mark's Church", "100 Main St", "Decatur", "GA", None),
    ("7800 Weir Cook Memorial Drive, evidence or argument", None, "7800 Weir Cook Memorial Drive, evidence or argument",
     None, None, None),
])
def test_one_line_places_split_into_parts(text, name, street, city, region, postal):
    loc = split_location(text)
    assert (loc.name, loc.street, loc.city, loc.region, loc.postal_code) == (name, street, city, region, postal)


def test_unrecognised_text_is_not_guessed_at():
    loc = split_location("3631 Perkins Ave., Cleveland 4th Fl")
    assert loc.city is None and loc.street == "3631 Perkins Ave., Cleveland 4th Fl"
    assert split_location("") is None and split_location("   ") is None
