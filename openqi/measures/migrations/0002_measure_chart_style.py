from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="measure",
            name="chart_style",
            field=models.CharField(
                choices=[
                    (
                        "mdc",
                        "Making Data Count (NHS England): coloured special-cause points, icons, process limits",
                    ),
                    ("qicharts2", "qicharts2: Anhøj runs rules, a dashed red centre line for a runs signal"),
                ],
                default="mdc",
                max_length=12,
            ),
        ),
    ]
