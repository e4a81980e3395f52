"""Write the address sample of the demo territory in the BAN's addok format (one JSON street a line, with its
house numbers), for the local addok that deploy/addok/run.sh starts (docs/modules/signalements.md « Geocoder »).

The streets are laid inside the quartiers of the demo (``seeds.QUARTIER_OFFSETS`` around ``seeds.CENTER``), so that
an address found by the geocoder falls inside the territories and a pin placed on the demo map has a street address.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from participe.modules.signalements.seeds import CENTER, QUARTIER_OFFSETS
from participe.organisation.models import Territory

STREETS = [
    ("Rue", "des Lilas"),
    ("Avenue", "Jean Jaurès"),
    ("Rue", "de la République"),
    ("Place", "du Marché"),
    ("Rue", "Victor Hugo"),
    ("Boulevard", "de la Paix"),
    ("Rue", "des Écoles"),
    ("Allée", "des Tilleuls"),
    ("Rue", "du Moulin"),
    ("Chemin", "de la Vesle"),
    ("Rue", "Pasteur"),
    ("Rue", "de la Croix-Rouge"),
    ("Impasse", "des Vignes"),
    ("Rue", "Gambetta"),
    ("Avenue", "du Général de Gaulle"),
]
NUMBERS = range(1, 41)
STEP = 0.0001  # between two house numbers, about 7 to 11 m


def _street(
    index: int, kind: str, name: str, origin: tuple[float, float], city: str, codes: dict[str, str]
) -> dict[str, Any]:
    vertical = index % 2 == 1
    numbers = {}
    for n in NUMBERS:
        along = (n // 2) * STEP
        side = 0.00004 if n % 2 else -0.00004  # odd numbers on one side, even on the other
        lat, lon = (origin[0] + along, origin[1] + side) if vertical else (origin[0] + side, origin[1] + along)
        numbers[str(n)] = {"lat": round(lat, 6), "lon": round(lon, 6), "id": f"{codes['citycode']}_{index:04d}_{n:05d}"}
    middle = numbers[str(NUMBERS[len(NUMBERS) // 2])]
    return {
        "id": f"{codes['citycode']}_{index:04d}",
        "type": "street",
        "name": f"{kind} {name}",
        "postcode": codes["postcode"],
        "citycode": codes["citycode"],
        "city": city,
        "context": codes["context"],
        "importance": 0.5,
        "lat": middle["lat"],
        "lon": middle["lon"],
        "housenumbers": numbers,
    }


class Command(BaseCommand):
    help = "Écrit l'échantillon d'adresses du territoire de démonstration au format addok (une rue par ligne)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("output", help="Le fichier à écrire (NDJSON).")
        parser.add_argument("--postcode", default="51100")
        parser.add_argument("--citycode", default="51999")

    def handle(self, *args: Any, output: str, postcode: str, citycode: str, **options: Any) -> None:
        commune = Territory.objects.filter(kind="commune").order_by("pk").first()
        city = commune.name if commune is not None else "Lumerac"
        codes = {"postcode": postcode, "citycode": citycode, "context": "51, Marne, Grand Est"}
        origins = [(CENTER[0] + dlat - 0.002, CENTER[1] + dlon - 0.002) for dlat, dlon in QUARTIER_OFFSETS.values()]
        lines = []
        for index, (kind, name) in enumerate(STREETS):
            base = origins[index % len(origins)]
            origin = (base[0] + (index // len(origins)) * 0.0012, base[1] + (index // len(origins)) * 0.0009)
            lines.append(json.dumps(_street(index, kind, name, origin, city, codes), ensure_ascii=False))
        town = {
            "id": citycode,
            "type": "municipality",
            "name": city,
            "postcode": postcode,
            "citycode": citycode,
            "city": city,
            "context": codes["context"],
            "importance": 0.8,
            "lat": CENTER[0],
            "lon": CENTER[1],
        }
        lines.append(json.dumps(town, ensure_ascii=False))
        Path(output).write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.stdout.write(f"{len(STREETS)} streets, {len(STREETS) * len(NUMBERS)} addresses written to {output}.")
