"""CJK radicals printed in place of the ideographs they look like.

Fonts map one glyph to both a radical and the ideograph (⺠ and 民, ⽤ and 用); a PDF producer that
writes the glyph's first code point in its ToUnicode map (Chromium's print-to-PDF does) makes the
text say ⼈⺠政府, which no label or agency name matches, and text copied out of such PDFs carries
the same characters. Kangxi radicals (U+2F00–U+2FD5) have compatibility decompositions (NFKC);
the CJK Radicals Supplement (U+2E80–U+2EF3) mostly has none, so its equivalents are listed here
(Unicode's EquivalentUnifiedIdeograph.txt, as the Noto CJK fonts share the glyphs).
"""

from __future__ import annotations

import re
import unicodedata

# radical → unified ideograph, in pairs
_SUPPLEMENT = (
    "⺂乛⺃乚⺅亻⺉刂⺋㔾⺎兀⺏尣⺐尢⺒巳⺓幺⺔彑⺕彐⺖忄⺘扌⺙攵⺛旡⺞歺⺟母⺠民⺡氵"
    "⺣灬⺤爫⺦丬⺨犭⺫罒⺭礻⺯糹⺰纟⺱罓⺲罒⺳㓁⺹耂⺺肀⺾艹⺿艹⻂衤⻃覀⻄西⻅见⻆角"
    "⻈讠⻉贝⻋车⻌辶⻍辶⻎辶⻐钅⻑長⻒镸⻓长⻔门⻖阝⻘青⻙韦⻚页⻛风⻜飞⻝食⻟飠⻠饣"
    "⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻫斉⻬齐⻭歯⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟"
)
_TABLE = {ord(_SUPPLEMENT[i]): _SUPPLEMENT[i + 1] for i in range(0, len(_SUPPLEMENT), 2)}
_TABLE.update((code, unicodedata.normalize("NFKC", chr(code))) for code in range(0x2F00, 0x2FD6))
_RADICAL = re.compile("[\u2e80-\u2fdf]")


def ideographs(text: str) -> str:
    """The text with every CJK radical replaced by the ideograph it stands for."""
    return text.translate(_TABLE) if _RADICAL.search(text) else text
