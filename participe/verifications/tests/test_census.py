"""Parsing the residents' census and hashing its identifying fields."""

from __future__ import annotations

import datetime

import pytest

from participe.verifications.census import digest, normalise_name, parse_csv, parse_date

ELODIE = ("Kerhervé", "Élodie", datetime.date(1985, 7, 14))


@pytest.mark.parametrize(
    "data",
    [
        "nom;prenom;date_naissance;territoire\nKerhervé;Élodie;14/07/1985;TIL\n".encode(),
        "nom,prenom,date_naissance,territoire\nKerhervé,Élodie,14/07/1985,TIL\n".encode(),
        "\ufeffnom;prenom;date_naissance;territoire\r\nKerhervé;Élodie;14/07/1985;TIL\r\n".encode(),  # UTF-8 with BOM, CRLF
        "nom;prenom;date_naissance;territoire\nKerhervé;Élodie;14/07/1985;TIL\n".encode("latin-1"),
        "nom\tprenom\tdate_naissance\tterritoire\nKerhervé\tÉlodie\t14/07/1985\tTIL\n".encode(),
        'NOM;Prénom;Date_Naissance;Territoire\n"Kerhervé";"Élodie";"1985-07-14";"TIL"\n'.encode("cp1252"),
    ],
    ids=["semicolon", "comma", "utf8-bom-crlf", "latin1", "tab", "quoted-headers-in-capitals"],
)
def test_it_reads_the_usual_exports_of_a_census(data):
    parsed = parse_csv(data)
    assert parsed.errors == []
    assert parsed.rows == [(digest(*ELODIE), "TIL")]


@pytest.mark.parametrize("written", ["14/07/1985", "1985-07-14", "14-07-1985", "14.07.1985", " 14/07/1985 "])
def test_it_reads_french_dates(written):
    assert parse_date(written) == datetime.date(1985, 7, 14)


@pytest.mark.parametrize("written", ["", "31/02/1985", "07/14/1985", "14 juillet 1985", "1985"])
def test_it_refuses_unreadable_dates(written):
    assert parse_date(written) is None


@pytest.mark.parametrize(
    "last_name, first_name",
    [
        ("KERHERVE", "ELODIE"),
        ("kerhervé", "élodie"),
        ("  Kerhervé ", " Élodie  "),
        ("Kerherve", "Elodie"),
        ("KERHERVÉ", "ÉLODIE"),
    ],
)
def test_it_ignores_accents_case_and_spaces(last_name, first_name):
    assert digest(last_name, first_name, ELODIE[2]) == digest(*ELODIE)


@pytest.mark.parametrize(
    "raw, normalised",
    [
        ("Jean-Pierre", "JEAN PIERRE"),
        ("d'Artagnan", "D ARTAGNAN"),
        ("Lætitia", "LAETITIA"),
        ("  Ñúñez   García ", "NUNEZ GARCIA"),
    ],
)
def test_it_normalises_names(raw, normalised):
    assert normalise_name(raw) == normalised


@pytest.mark.parametrize("typed, registered", [("Laetitia", "Lætitia"), ("Coeur", "Cœur"), ("LAETITIA", "LÆTITIA")])
def test_it_matches_ligatures_with_the_letters_people_type(typed, registered):
    assert digest("Martin", typed, ELODIE[2]) == digest("Martin", registered, ELODIE[2])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
def test_it_reads_accents_and_ligatures_in_every_usual_encoding(encoding):
    name = "Cœur" if encoding != "latin-1" else "Cöur"  # Latin-1 has no œ
    parsed = parse_csv(f"nom;prenom;date_naissance\n{name};Élodie;14/07/1985\n".encode(encoding))
    assert parsed.rows == [(digest(name, "Élodie", ELODIE[2]), None)]


def test_it_tells_different_people_apart():
    assert digest("Kerhervé", "Élodie", datetime.date(1985, 7, 15)) != digest(*ELODIE)
    assert digest("Kerhervé", "Elise", ELODIE[2]) != digest(*ELODIE)
    assert digest("Élodie", "Kerhervé", ELODIE[2]) != digest(*ELODIE)  # first and last names swapped


def test_it_keys_the_hash_with_the_pepper(settings):
    settings.PARTICIPE_CENSUS_PEPPER = "poivre-1"
    first = digest(*ELODIE)
    settings.PARTICIPE_CENSUS_PEPPER = "poivre-2"
    assert digest(*ELODIE) != first
    assert len(first) == 64
    assert int(first, 16) >= 0  # hexadecimal


def test_it_derives_a_pepper_from_the_secret_key_when_none_is_set(settings):
    settings.PARTICIPE_CENSUS_PEPPER = ""
    first = digest(*ELODIE)
    settings.SECRET_KEY = "une-autre-cle-secrete-de-plus-de-cinquante-caracteres-0123456789"
    assert digest(*ELODIE) != first


def test_it_reports_bad_lines_with_their_number_and_keeps_the_good_ones():
    data = (
        "nom;prenom;date_naissance\n"  # line 1
        "Kerhervé;Élodie;14/07/1985\n"  # 2
        "Martin;;01/01/1990\n"  # 3: no first name
        "\n"  # 4: blank, skipped silently
        "Durand;Paul;31/02/1990\n"  # 5: no such date
        "Petit\n"  # 6: too short
        "Moreau;Léa;02/03/2001\n"  # 7
    ).encode()
    parsed = parse_csv(data)
    assert [territory for _digest, territory in parsed.rows] == [None, None]
    assert parsed.rows[0][0] == digest(*ELODIE)
    assert parsed.errors == [
        "Ligne 3 : nom, prénom ou date de naissance illisible.",
        "Ligne 5 : nom, prénom ou date de naissance illisible.",
        "Ligne 6 : colonnes manquantes.",
    ]


def test_it_reports_missing_columns():
    parsed = parse_csv(b"nom;prenom;adresse\nKerherve;Elodie;1 rue du Port\n")
    assert parsed.rows == []
    assert parsed.errors == [
        "Colonnes manquantes : date_naissance. Colonnes attendues : nom ; prenom ; date_naissance ; territoire (facultatif)."
    ]


def test_it_reports_an_empty_file():
    assert parse_csv(b"").errors == ["Le fichier est vide."]


def test_it_reads_columns_in_any_order():
    parsed = parse_csv("date_naissance;territoire;prenom;nom\n14/07/1985;TIL;Élodie;Kerhervé\n".encode())
    assert parsed.rows == [(digest(*ELODIE), "TIL")]


def test_it_reads_a_file_with_a_single_row_and_no_territory():
    parsed = parse_csv("nom,prenom,date_naissance\nKerhervé,Élodie,14/07/1985".encode())
    assert parsed.errors == []
    assert parsed.rows == [(digest(*ELODIE), None)]
