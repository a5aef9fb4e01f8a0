"""Progress entries partitioned by month of the date of the work (PostgreSQL only; nothing happens on SQLite).

Django's state does not change: `id` stays the model's primary key, the database's is (id, date). A photo's
foreign key cannot point at `id` alone any more, so the photo carries its entry's date in a column Django does not
know (`entry_date`, filled by a trigger from `entry_id` on every insert and on every change of entry) and the key is
(entry_id, entry_date) → (id, date): the database still refuses a photo of an entry that does not exist and an entry
deleted from under its photos, and a corrected date of the work follows to the photos (ON UPDATE CASCADE).
See gaizao/core/partitions.py and docs/deploy.md, *Partitioning*.
"""

from django.db import migrations
from django.utils import timezone

from gaizao.core import partitions

PHOTO_KEY = "works_photo_entry_id_entry_date_fk"
TRIGGER = "works_photo_entry_date"

FILL_DATE = f"""
CREATE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.entry_id = OLD.entry_id THEN
        RETURN NEW;
    END IF;
    SELECT e.date INTO NEW.entry_date FROM works_progressentry e WHERE e.id = NEW.entry_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'insert or update on table "works_photo" violates foreign key constraint "{PHOTO_KEY}"'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = '{PHOTO_KEY}', TABLE = 'works_photo',
                  DETAIL = format('Key (entry_id)=(%s) is not present in table "works_progressentry".', NEW.entry_id);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER {TRIGGER} BEFORE INSERT OR UPDATE OF entry_id ON works_photo
    FOR EACH ROW EXECUTE FUNCTION {TRIGGER}();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("LOCK TABLE works_photo IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute("SELECT conname FROM pg_constraint WHERE conrelid = 'works_photo'::regclass "
                       "AND confrelid = 'works_progressentry'::regclass AND contype = 'f'")
        for (name,) in cursor.fetchall():
            cursor.execute(f"ALTER TABLE works_photo DROP CONSTRAINT {partitions.q(name)}")
        cursor.execute("ALTER TABLE works_photo ADD COLUMN entry_date date")
        cursor.execute("UPDATE works_photo p SET entry_date = e.date FROM works_progressentry e "
                       "WHERE e.id = p.entry_id")
        cursor.execute("ALTER TABLE works_photo ALTER COLUMN entry_date SET NOT NULL")
        partitions.partition(cursor, "works_progressentry", "date", timezone.localdate())
        cursor.execute(f"ALTER TABLE works_photo ADD CONSTRAINT {PHOTO_KEY} FOREIGN KEY (entry_id, entry_date) "
                       "REFERENCES works_progressentry (id, date) ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED")
        cursor.execute(FILL_DATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {TRIGGER} ON works_photo")
        cursor.execute(f"DROP FUNCTION {TRIGGER}()")
        cursor.execute(f"ALTER TABLE works_photo DROP CONSTRAINT {PHOTO_KEY}")
        partitions.unpartition(cursor, "works_progressentry")
        cursor.execute("ALTER TABLE works_photo DROP COLUMN entry_date")
    photo = apps.get_model("works", "Photo")
    # Django's own foreign key, under the name Django gives it.
    schema_editor.execute(schema_editor._create_fk_sql(photo, photo._meta.get_field("entry"),
                                                       "_fk_%(to_table)s_%(to_column)s"))


class Migration(migrations.Migration):

    dependencies = [
        ("works", "0004_acceptance_times_on_the_platform_clock"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
