from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("organisations", "0002_invitation_project_invitation_project_role_and_more")]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="is_guest",
            field=models.BooleanField(default=False),
        ),
    ]
