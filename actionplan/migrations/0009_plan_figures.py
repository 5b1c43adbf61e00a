"""Public-measure figures per plan, kept by PostgreSQL triggers, and indexes for the public pages at scale.

actionplan_planfigures holds, per plan, the measures that are public and not retired, by status and by commitment
number. Statement-level triggers with transition tables add and subtract what each INSERT, UPDATE or DELETE on
actionplan_measure changed; the increments commute, so concurrent transactions need no extra lock. A row whose
count reaches zero is removed. The measure part of the public rule (is_public and not retired) is mirrored here;
actionplan/tests/test_plan_figures.py fails when it and Measure.objects.public() disagree.
"""

import django.db.models.deletion
import django.db.models.expressions
import django.db.models.functions.comparison
import django.db.models.lookups
from django.db import migrations, models

STATUSES = ("planned", "in_progress", "implemented", "continuous", "discontinued")
NUMBERS = range(1, 11)
COLUMNS = ", ".join([*STATUSES, *(f"c{n}" for n in NUMBERS)])
COLUMNS_WITH_PLAN = f"plan_id, {COLUMNS}"


def _counts(status: str, number: str) -> str:
    by_status = [f"count(*) FILTER (WHERE {status} = '{s}')" for s in STATUSES]
    by_number = [f"count(*) FILTER (WHERE {number} = {n})" for n in NUMBERS]
    return ", ".join(by_status + by_number)


FIGURES_SQL = f"""
CREATE FUNCTION actionplan_planfigures_add(delta integer, plans bigint[], commitments bigint[], statuses text[])
RETURNS void LANGUAGE sql AS $$
    INSERT INTO actionplan_planfigures AS f (plan_id, {COLUMNS})
    SELECT d.plan_id, {", ".join(f"delta * d.{c}" for c in COLUMNS.split(", "))}
    FROM (
        SELECT r.plan_id, {_counts("r.status", "c.number")}
        FROM unnest(plans, commitments, statuses) AS r(plan_id, commitment_id, status)
        JOIN actionplan_commitment c ON c.id = r.commitment_id
        GROUP BY r.plan_id
    ) d ({COLUMNS_WITH_PLAN})
    ORDER BY d.plan_id
    ON CONFLICT (plan_id) DO UPDATE SET {", ".join(f"{c} = f.{c} + EXCLUDED.{c}" for c in COLUMNS.split(", "))};
    DELETE FROM actionplan_planfigures WHERE plan_id = ANY(plans) AND measures = 0;
$$;

CREATE FUNCTION actionplan_measure_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM actionplan_planfigures_add(1, array_agg(plan_id), array_agg(commitment_id), array_agg(status))
        FROM new_rows WHERE is_public AND retired_at IS NULL HAVING count(*) > 0;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM actionplan_planfigures_add(-1, array_agg(plan_id), array_agg(commitment_id), array_agg(status))
        FROM old_rows WHERE is_public AND retired_at IS NULL HAVING count(*) > 0;
    ELSE
        -- Only rows whose counted fields changed: editing a title or description costs nothing here.
        PERFORM actionplan_planfigures_add(-1, array_agg(o.plan_id), array_agg(o.commitment_id), array_agg(o.status))
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE o.is_public AND o.retired_at IS NULL
          AND (o.plan_id, o.commitment_id, o.status, o.is_public, o.retired_at IS NULL)
              IS DISTINCT FROM (n.plan_id, n.commitment_id, n.status, n.is_public, n.retired_at IS NULL)
        HAVING count(*) > 0;
        PERFORM actionplan_planfigures_add(1, array_agg(n.plan_id), array_agg(n.commitment_id), array_agg(n.status))
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE n.is_public AND n.retired_at IS NULL
          AND (o.plan_id, o.commitment_id, o.status, o.is_public, o.retired_at IS NULL)
              IS DISTINCT FROM (n.plan_id, n.commitment_id, n.status, n.is_public, n.retired_at IS NULL)
        HAVING count(*) > 0;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER actionplan_measure_figures_insert AFTER INSERT ON actionplan_measure
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION actionplan_measure_figures();
CREATE TRIGGER actionplan_measure_figures_update AFTER UPDATE ON actionplan_measure
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION actionplan_measure_figures();
CREATE TRIGGER actionplan_measure_figures_delete AFTER DELETE ON actionplan_measure
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION actionplan_measure_figures();
"""

FIGURES_REVERSE = """
DROP TRIGGER IF EXISTS actionplan_measure_figures_insert ON actionplan_measure;
DROP TRIGGER IF EXISTS actionplan_measure_figures_update ON actionplan_measure;
DROP TRIGGER IF EXISTS actionplan_measure_figures_delete ON actionplan_measure;
DROP FUNCTION IF EXISTS actionplan_measure_figures();
DROP FUNCTION IF EXISTS actionplan_planfigures_add(integer, bigint[], bigint[], text[]);
"""

BACKFILL = f"""
INSERT INTO actionplan_planfigures (plan_id, {COLUMNS})
SELECT m.plan_id, {_counts("m.status", "c.number")}
FROM actionplan_measure m JOIN actionplan_commitment c ON c.id = m.commitment_id
WHERE m.is_public AND m.retired_at IS NULL
GROUP BY m.plan_id;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('actionplan', '0008_text_limits'),
    ]

    operations = [
        migrations.CreateModel(
            name='PlanFigures',
            fields=[
                ('plan', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='figures', serialize=False, to='actionplan.actionplan')),
                ('planned', models.IntegerField(default=0)),
                ('in_progress', models.IntegerField(default=0)),
                ('implemented', models.IntegerField(default=0)),
                ('continuous', models.IntegerField(default=0)),
                ('discontinued', models.IntegerField(default=0)),
                ('c1', models.IntegerField(default=0)),
                ('c2', models.IntegerField(default=0)),
                ('c3', models.IntegerField(default=0)),
                ('c4', models.IntegerField(default=0)),
                ('c5', models.IntegerField(default=0)),
                ('c6', models.IntegerField(default=0)),
                ('c7', models.IntegerField(default=0)),
                ('c8', models.IntegerField(default=0)),
                ('c9', models.IntegerField(default=0)),
                ('c10', models.IntegerField(default=0)),
                ('measures', models.GeneratedField(db_persist=True, expression=django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.F('c1'), '+', models.F('c2')), '+', models.F('c3')), '+', models.F('c4')), '+', models.F('c5')), '+', models.F('c6')), '+', models.F('c7')), '+', models.F('c8')), '+', models.F('c9')), '+', models.F('c10')), output_field=models.IntegerField())),
                ('commitments_covered', models.GeneratedField(db_persist=True, expression=django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.functions.comparison.Cast(django.db.models.lookups.GreaterThan(models.F('c1'), 0), models.IntegerField()), '+', django.db.models.functions.comparison.Cast(django.db.models.lookups.GreaterThan(models.F('c2'), 0), models.IntegerField())), '+', django.db.models.functions.comparison.Cast(django.db.models.lookups.GreaterThan(models.F('c3'), 0), models.IntegerField())), '+', django.db.models.functions.comparison.Cast(django.db.models.lookups.GreaterThan(models.F('c4'), 0), models.IntegerField())), '+', django.db.models.functions.comparison.Cast(django.db.models.lookups.GreaterThan(models.F('c5'), 0), models.IntegerField())), '+', django.db.models.functions.comparison.Cast(django.db.models.lookups.GreaterThan(models.F('c6'), 0), models.IntegerField())), '+', django.db.models.functions.comparison.Cast(django.db.models.lookups.GreaterThan(models.F('c7'), 0), models.IntegerField())), '+', django.db.models.functions.comparison.Cast(django.db.models.lookups.GreaterThan(models.F('c8'), 0), models.IntegerField())), '+', django.db.models.functions.comparison.Cast(django.db.models.lookups.GreaterThan(models.F('c9'), 0), models.IntegerField())), '+', django.db.models.functions.comparison.Cast(django.db.models.lookups.GreaterThan(models.F('c10'), 0), models.IntegerField())), output_field=models.IntegerField())),
            ],
            options={
                'managed': True,
                'default_permissions': (),
            },
        ),
        migrations.RunSQL(FIGURES_SQL, FIGURES_REVERSE),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
