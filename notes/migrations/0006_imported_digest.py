"""What the last import wrote to a note, so a re-import can tell an edit made in kb since."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notes', '0005_title_without_control_characters'),
    ]

    operations = [
        migrations.AddField(
            model_name='note',
            name='imported',
            field=models.CharField(blank=True, default='', editable=False, max_length=32),
        ),
    ]
