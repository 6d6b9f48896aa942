"""Tags that differ only in width or case become one (earlier kb stored ＤＯＣＫＥＲ apart from
docker; tags are now stored NFKC, notes.frontmatter.tag_name). Each group keeps its oldest
tag under the NFKC spelling, takes over the others' taggings, and the others go."""

import unicodedata

from django.db import migrations


def key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().lower()


def merge(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    groups: dict[str, list] = {}
    for tag in Tag.objects.order_by("pk"):
        groups.setdefault(key(tag.name), []).append(tag)
    for tags in groups.values():
        kept, others = tags[0], tags[1:]
        for other in others:
            for item in TaggedItem.objects.filter(tag=other):
                tagged = TaggedItem.objects.filter(
                    tag=kept, content_type_id=item.content_type_id, object_id=item.object_id
                )
                if tagged.exists():
                    item.delete()
                else:
                    item.tag = kept
                    item.save(update_fields=["tag"])
            other.delete()
        name = unicodedata.normalize("NFKC", kept.name).strip()
        if name != kept.name:
            kept.name = name
            kept.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [
        ("notes", "0003_front_matter"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]
    operations = [migrations.RunPython(merge, migrations.RunPython.noop)]
