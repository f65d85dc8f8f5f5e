"""Light text on a dark page (covers, banners): the tone layer tesseract cannot see as text.

Tesseract binarises a page with one global threshold, which on a dark cover with lighter shapes
splits background from shapes and loses white type printed over the shapes. The lightest tone
class, cut out black-on-white, is read as a second image.
"""

from __future__ import annotations

from PIL import Image

DARK_MEDIAN = 128  # a page whose median grey (0-255) is below this has a dark background


def _otsu(hist: list[int]) -> int:
    """Otsu's threshold of a grey histogram: the cut maximising between-class variance."""
    total = sum(hist)
    weighted = sum(i * n for i, n in enumerate(hist))
    below = below_sum = 0.0
    best, cut = -1.0, 0
    for level, count in enumerate(hist):
        below += count
        below_sum += level * count
        above = total - below
        if not below or not above:
            continue
        diff = below_sum / below - (weighted - below_sum) / above
        spread = below * above * diff * diff
        if spread > best:
            best, cut = spread, level
    return cut


def light_text_layer(image: Image.Image) -> Image.Image | None:
    """The page's lightest tone as black on white, or None when the page is not dark."""
    grey = image.convert("L")
    hist = grey.histogram()
    half, seen, median = sum(hist) / 2, 0, 0
    for level, count in enumerate(hist):
        seen += count
        if seen >= half:
            median = level
            break
    if median >= DARK_MEDIAN:
        return None
    dark_cut = _otsu(hist)
    # Otsu again within the light class splits mid-tone shapes from the lightest type.
    light_cut = dark_cut + 1 + _otsu(hist[dark_cut + 1:])
    return grey.point(lambda v: 0 if v > light_cut else 255)
