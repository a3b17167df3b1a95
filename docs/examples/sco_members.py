"""The SCO's members per year, from one API call, and the whole atlas from its snapshot.

    python docs/examples/sco_members.py https://atlas.example.org

Needs pandas. The timeline answers every year since the SCO's founding in one request (no
request per date); the snapshot is every table of the published atlas in one zip file.
"""

from __future__ import annotations

import io
import sys
import urllib.request
import zipfile

import pandas as pd


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url) as response:
        return response.read()


def members_per_year(base: str, read=fetch) -> pd.DataFrame:
    """One row per year: the date, the members by status, who joined and who left."""
    url = f"{base}/api/v1/organizations/sco/timeline/?from=2001-06-15&step=year&format=csv"
    timeline = pd.read_csv(io.BytesIO(read(url)), parse_dates=["date"], keep_default_na=False)
    timeline["year"] = timeline["date"].dt.year
    return timeline[["year", "member", "observer", "dialogue_partner", "partner", "joined", "left"]]


def snapshot_tables(base: str, read=fetch) -> dict[str, pd.DataFrame]:
    """Every table of the latest snapshot, typed as its datapackage.json says."""
    archive = zipfile.ZipFile(io.BytesIO(read(f"{base}/downloads/atlas-latest.zip")))
    tables = {}
    for name in archive.namelist():
        if name.endswith(".csv") and "/" not in name:
            tables[name.removesuffix(".csv")] = pd.read_csv(archive.open(name))
    return tables


def main(base: str, read=fetch) -> None:
    print(members_per_year(base, read).to_string(index=False))
    tables = snapshot_tables(base, read)
    spells = tables["memberships"]
    sco = spells[spells["organization"] == "sco"]
    print(f"\n{len(tables)} tables; {len(spells)} spells, {len(sco)} of them in the SCO;")
    print(f"{len(tables['citations'])} citations of {len(tables['sources'])} sources.")


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000")
