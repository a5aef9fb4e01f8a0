"""Moving the participation tables to their own apps, without copying a row.

Each new app's first migration takes over the state of its models with the old table names
(``SeparateDatabaseAndState``), then renames the tables (``AlterModelTable``) and relabels what names the models
by app: content types (so permissions and the admin log follow) and the audit history's object types (so a
household's, a ballot's or a notice's history is still found). On a new database ``participation.0001`` creates
the tables first, so both paths end with the same schema.
"""

from django.db import migrations

OLD = "participation"


def relabel(new_label: str, models: list[str]) -> migrations.RunPython:
    def move(apps, schema_editor, source, target):
        alias = schema_editor.connection.alias
        content_type = apps.get_model("contenttypes", "ContentType")
        audit_entry = apps.get_model("core", "AuditEntry")
        for model in models:
            if not content_type.objects.using(alias).filter(app_label=target, model=model).exists():
                content_type.objects.using(alias).filter(app_label=source, model=model).update(app_label=target)
            old, new = f"{source}.{model}", f"{target}.{model}"
            audit_entry.objects.using(alias).filter(object_type=old).update(object_type=new)
            audit_entry.objects.using(alias).filter(parent_type=old).update(parent_type=new)

    def forwards(apps, schema_editor):
        move(apps, schema_editor, OLD, new_label)

    def backwards(apps, schema_editor):
        move(apps, schema_editor, new_label, OLD)

    return migrations.RunPython(forwards, backwards, elidable=False)
