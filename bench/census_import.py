"""Census import speed: the bulk importer against one save() per row, measured in the same run.

    .venv/bin/python bench/census_import.py [--communities 10000] [--baseline-communities 500]

Uses the database in DATABASE_URL (SQLite file by default: run it in an empty folder, or against a scratch
PostgreSQL database); it creates its own test database and drops it afterwards.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaizao.settings")


def one_save_at_a_time(data):
    """The baseline: what a naive importer does, one ORM save per community and building."""
    from django.db import transaction

    from gaizao.communities.models import Building, Community
    from gaizao.communities.services import refresh_eligibility
    from gaizao.regions.models import Area

    with transaction.atomic():
        areas = {}
        for _number, row in data.areas.rows:
            area, _ = Area.objects.get_or_create(code=row["code"], defaults={
                "name": row["name"], "level": row["level"], "parent": areas.get(row["parent_code"])})
            areas[row["code"]] = area
        communities = {}
        for _number, row in data.communities.rows:
            values = {k: v for k, v in row.items() if k not in ("code", "subdistrict")}
            community = Community(code=row["code"], subdistrict=areas[row["subdistrict"]], **values)
            community.save()
            refresh_eligibility([community.pk])
            communities[row["code"]] = community
        for _number, row in data.buildings.rows:
            values = {k: v for k, v in row.items() if k != "community_code"}
            Building(community=communities[row["community_code"]], **values).save()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=10000)
    parser.add_argument("--baseline-communities", type=int, default=1000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from bench.census_workbook import write_workbook
    from gaizao.communities.census.importer import apply_import
    from gaizao.communities.census.reader import read_workbook
    from gaizao.communities.models import Building, Community
    from gaizao.regions.models import Area

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        rows = []
        with tempfile.TemporaryDirectory() as folder:
            for label, size, importer in (("bulk importer", args.communities, "bulk"),
                                          ("one save() per row", args.baseline_communities, "naive")):
                path = Path(folder) / f"{importer}.xlsx"
                buildings = write_workbook(path, size)
                Building.objects.all().delete()
                Community.objects.all().delete()
                for level in ("neighbourhood", "subdistrict", "district", "city"):
                    Area.objects.filter(level=level).delete()
                started = time.perf_counter()
                data = read_workbook(path)
                read_s = time.perf_counter() - started
                if importer == "bulk":
                    apply_import(data)
                else:
                    one_save_at_a_time(data)
                total_s = time.perf_counter() - started
                assert Community.objects.count() == size and Building.objects.count() == buildings
                rows.append((label, size, buildings, read_s, total_s, (size + buildings) / total_s))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"census import on {connection.vendor}")
    print(f"{'importer':<22}{'communities':>12}{'buildings':>11}{'read s':>9}{'total s':>9}{'rows/s':>10}{'ratio':>8}")
    base = rows[1][5]
    for label, size, buildings, read_s, total_s, rate in rows:
        print(f"{label:<22}{size:>12,}{buildings:>11,}{read_s:>9.1f}{total_s:>9.1f}{rate:>10,.0f}{rate / base:>7.1f}x")


if __name__ == "__main__":
    main()
