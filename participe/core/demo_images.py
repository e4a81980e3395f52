"""Pictures for the demo, drawn with Pillow: nothing is downloaded and no photograph's licence is involved.

Each is a flat illustration of a town scene (sky, ground, trees, benches, a building, a path), drawn from a short
list of elements with a seeded choice of colours, so the same demo always gets the same pictures. They go through
the platform's image pipeline like any upload (re-encoded, thumbnailed) by the seeds that use them.
"""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1200, 800
SKIES = [("#bfe3f5", "#eaf6fb"), ("#f9d9b8", "#fdf1e4"), ("#c9d7f2", "#eef2fb")]
GROUNDS = ["#9fcf8f", "#b9d98f", "#d9c8a0"]
FOLIAGE = ["#3f8f4f", "#2f7a44", "#5a9e3a", "#6bab5b"]
BUILDINGS = ["#e8d5b5", "#d9b99b", "#c7c2b8", "#efe3cf"]
ROOFS = ["#9c4a3c", "#6d6a75", "#b5653f"]


def _sky(draw: ImageDraw.ImageDraw, top: str, bottom: str, horizon: int) -> None:
    start = tuple(int(top[i : i + 2], 16) for i in (1, 3, 5))
    end = tuple(int(bottom[i : i + 2], 16) for i in (1, 3, 5))
    for y in range(horizon):
        mix = y / max(1, horizon - 1)
        draw.line([(0, y), (WIDTH, y)], fill=tuple(round(a + (b - a) * mix) for a, b in zip(start, end, strict=True)))


def _tree(draw: ImageDraw.ImageDraw, x: int, ground: int, size: int, colour: str) -> None:
    draw.rectangle([x - size // 10, ground - size, x + size // 10, ground], fill="#6b4f3a")
    draw.ellipse([x - size // 2, ground - size * 2, x + size // 2, ground - size + size // 4], fill=colour)


def _bench(draw: ImageDraw.ImageDraw, x: int, ground: int) -> None:
    draw.rectangle([x, ground - 46, x + 150, ground - 36], fill="#7a5234")
    draw.rectangle([x, ground - 74, x + 150, ground - 64], fill="#7a5234")
    for leg in (x + 12, x + 130):
        draw.rectangle([leg, ground - 36, leg + 8, ground], fill="#3d3d3d")


def _building(draw: ImageDraw.ImageDraw, x: int, ground: int, rng: random.Random) -> None:
    width, height = rng.randint(220, 320), rng.randint(220, 330)
    draw.rectangle([x, ground - height, x + width, ground], fill=rng.choice(BUILDINGS))
    draw.polygon(
        [(x - 15, ground - height), (x + width // 2, ground - height - 90), (x + width + 15, ground - height)],
        fill=rng.choice(ROOFS),
    )
    for row in range(ground - height + 30, ground - 80, 70):
        for col in range(x + 25, x + width - 40, 65):
            draw.rectangle([col, row, col + 34, row + 44], fill="#5b7fa3")
    draw.rectangle([x + width // 2 - 28, ground - 90, x + width // 2 + 28, ground], fill="#5a3d2b")


def _water(draw: ImageDraw.ImageDraw, horizon: int, rng: random.Random) -> None:
    draw.polygon([(0, HEIGHT), (0, horizon + 120), (WIDTH, horizon + 40), (WIDTH, HEIGHT - 140)], fill="#6fb3d9")


def _lane(draw: ImageDraw.ImageDraw, horizon: int, rng: random.Random) -> None:
    draw.polygon([(380, HEIGHT), (560, horizon), (640, horizon), (820, HEIGHT)], fill="#8d8d8d")
    draw.polygon([(560, HEIGHT), (610, horizon), (640, horizon), (820, HEIGHT)], fill="#4f9d69")
    for y in range(horizon + 20, HEIGHT, 70):
        draw.rectangle([594 + (y - horizon) // 12, y, 600 + (y - horizon) // 12, y + 30], fill="#ffffff")


def _path(draw: ImageDraw.ImageDraw, horizon: int, rng: random.Random) -> None:
    draw.polygon([(520, HEIGHT), (WIDTH // 2 - 20, horizon), (WIDTH // 2 + 20, horizon), (760, HEIGHT)], fill="#e3d3b0")


def _a_building(draw: ImageDraw.ImageDraw, horizon: int, rng: random.Random) -> None:
    _building(draw, rng.randint(60, 200), horizon + 20, rng)


def _beds(draw: ImageDraw.ImageDraw, horizon: int, rng: random.Random) -> None:
    for x in range(80, WIDTH - 120, 260):
        draw.rectangle([x, HEIGHT - 150, x + 180, HEIGHT - 90], fill="#7a5234")
        for flower in range(x + 15, x + 170, 30):
            colour = rng.choice(["#e4572e", "#f3a712", "#c9184a"])
            draw.ellipse([flower, HEIGHT - 175, flower + 22, HEIGHT - 153], fill=colour)


def _trees(draw: ImageDraw.ImageDraw, horizon: int, rng: random.Random) -> None:
    for x in sorted(rng.sample(range(80, WIDTH - 60, 40), 5)):
        _tree(draw, x, horizon + rng.randint(30, 90), rng.randint(90, 140), rng.choice(FOLIAGE))


def _benches(draw: ImageDraw.ImageDraw, horizon: int, rng: random.Random) -> None:
    for x in (WIDTH // 2 + 40, WIDTH // 2 + 260):
        _bench(draw, x, HEIGHT - 110)


# Drawn from the back to the front.
ELEMENTS = {
    "water": _water,
    "lane": _lane,
    "path": _path,
    "building": _a_building,
    "beds": _beds,
    "trees": _trees,
    "benches": _benches,
}
SCENES = {
    "place": ("building", "benches", "trees"),
    "jardin": ("trees", "beds", "path"),
    "velo": ("lane", "trees"),
    "ecole": ("building", "trees", "beds"),
    "riviere": ("water", "trees", "path"),
    "quartier": ("building", "trees", "path"),
}


def illustration(scene: str, seed: int = 0) -> bytes:
    """A PNG of the scene ``scene`` (one of ``SCENES``), the same for the same seed."""
    rng = random.Random(f"{scene}-{seed}")
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    horizon = rng.randint(430, 520)
    _sky(draw, *rng.choice(SKIES), horizon)
    draw.ellipse([WIDTH - 260, 70, WIDTH - 150, 180], fill="#fff3b0")
    draw.rectangle([0, horizon, WIDTH, HEIGHT], fill=rng.choice(GROUNDS))
    wanted = SCENES.get(scene, SCENES["quartier"])
    for name, draw_element in ELEMENTS.items():
        if name in wanted:
            draw_element(draw, horizon, rng)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
