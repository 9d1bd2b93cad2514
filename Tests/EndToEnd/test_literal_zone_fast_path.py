"""apply reads large zone statements of literals with LiteralZoneReader (and keeps them for the next run);
check and compile never do. So for odd but plain statements, clean or broken, apply must end as check
says: applied, with the table nft -f makes of compile's text; or refused with check's very diagnostics
(file:line:col) and nothing changed."""
import random

import pytest

from conftest import nft, ztpol

HEAD = "zone host 192.0.2.1\n"
TAIL = "big -> host tcp/22\n"


def literals(rng, count):
    out = []
    for n in range(count):
        kind = rng.randrange(6)
        if kind == 0:
            out.append(f"10.{n // 200}.{n % 200}.0/24")
        elif kind == 1:
            out.append(f"172.16.{n % 250}.{rng.randrange(1, 250)}")
        elif kind == 2:
            out.append(f"FD77:{n:X}::/64")
        elif kind == 3:
            out.append(f"192.168.{n % 250}.1-192.168.{n % 250}.9")
        elif kind == 4:
            out.append(f"2001:db8:{n:x}::1-2001:db8:{n:x}::ff")
        else:
            out.append(f"100.64.{n % 250}.0/25")
    return out


SEPARATORS = [", ", ",", " ,", ",\t", ",\n  ", ", # comment\n\t", ",  #\n\n", ",\n# a line of its own\n "]

# Each turns a clean statement into one the parser refuses (or reads differently), at one place.
BREAKS = [
    lambda s: s.replace("/24", "/33", 1),
    lambda s: s.replace(".0/24", ".1/24", 1),                     # host bits
    lambda s: s.replace("10.", "010.", 1),                         # a leading zero
    lambda s: s.replace("172.16.", "::ffff:172.16.", 1),           # IPv4-mapped
    lambda s: s.replace("FD77:", "fe80::1%eth0, FD77:", 1),       # a zone id
    lambda s: s.replace(", ", " ", 1),                             # a missing comma
    lambda s: s.replace(", ", ", , ", 1),
    lambda s: s.replace(", ", " -> ", 1),
    lambda s: s.replace(", ", ",\r\n", 1),                        # a carriage return
    lambda s: s.replace(", ", ",\x0b", 1),
    lambda s: s.replace(", ", ", \"x\", ", 1),
    lambda s: s.replace(", ", ", web, ", 1),                       # a name: not literals alone
    lambda s: s.replace("zone big", "zone except", 1),
    lambda s: s.replace("zone big", "zone 1abc", 1),
    lambda s: s.rstrip("\n") + " except\n",
    lambda s: s.rstrip("\n") + " except 10.0.0.0/24 except 10.0.1.0/24\n",
    lambda s: s.rstrip("\n") + ",\n",                              # a comma at the statement's end
    lambda s: s.replace("192.168.", "192.168.300.", 1),
    lambda s: s.replace("-192.168.", "-192.167.", 1),              # a reversed range
]


def statement(rng, broken):
    items = literals(rng, rng.randrange(60, 120))
    text = "zone big" + rng.choice([" ", "\t", "  "])
    for index, item in enumerate(items):
        if index:
            text += rng.choice(SEPARATORS)
        text += item
    if rng.randrange(3) == 0:
        text += rng.choice([" except ", ",\n except ", "\texcept\t"]) + "10.0.0.0/24, 10.0.1.0/25"
    text += rng.choice(["\n", "  # done\n", "\n\n# after\n\n", "\n\t\n"])
    if broken:
        text = rng.choice(BREAKS)(text)
    return text


def listing(namespace):
    return nft(namespace, "list", "ruleset").stdout


@pytest.mark.parametrize("seed", [1, 2])
def test_apply_ends_as_check_says(tmp_path, namespaces, seed):
    rng = random.Random(seed)
    host, reference = namespaces(), namespaces()
    policy = tmp_path / "p.zt"
    (clean, refused) = (0, 0)
    for number in range(16):
        text = HEAD + statement(rng, broken=number % 2 == 1) + TAIL
        assert len(text) > 1_000
        policy.write_text(text)
        checked = ztpol("check", policy)
        before = listing(host)
        applied = ztpol("apply", policy, "--zone", "host", "--netns", host)
        if checked.returncode == 0:
            clean += 1
            assert applied.returncode == 0, (text, applied.stderr)
            compiled = tmp_path / "p.nft"
            compiled.write_text(ztpol("compile", policy, "--zone", "host", check=True).stdout)
            nft(reference, "flush", "ruleset")
            nft(reference, "-f", compiled)
            assert listing(host) == listing(reference), text
        else:
            refused += 1
            assert applied.returncode == 1, text
            assert applied.stdout == ""
            # The same diagnostics, at the same places; only the closing line may differ.
            assert applied.stderr == checked.stderr, text
            assert listing(host) == before
    assert clean >= 6 and refused >= 6, (clean, refused)
