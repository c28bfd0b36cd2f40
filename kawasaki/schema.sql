-- The public contract of data/kawasaki.duckdb (documented in docs/data.md).
-- Bump SCHEMA_VERSION in kawasaki/schema.py when a relation or column changes.
-- The tables come first, each filled by the build (kawasaki/relations.py, RELATIONS);
-- the views after them are computed from the tables whenever they are read.

CREATE TABLE sdg_goals (
    goal INTEGER PRIMARY KEY,
    name_ja VARCHAR NOT NULL,      -- short name (UNIC Tokyo icon text)
    name_en VARCHAR NOT NULL,      -- short name
    title_ja VARCHAR NOT NULL,     -- full goal text (外務省仮訳)
    title_en VARCHAR NOT NULL,     -- full goal text (UN)
    color_hex VARCHAR NOT NULL
);

CREATE TABLE sdg_targets (
    target_id VARCHAR PRIMARY KEY, -- as printed: '17.17', '9.a', '16.10'
    goal INTEGER NOT NULL REFERENCES sdg_goals (goal),
    title_ja VARCHAR NOT NULL,
    title_en VARCHAR NOT NULL,
    sort_key INTEGER NOT NULL      -- orders 9.5 < 9.a and 16.9 < 16.10
);

CREATE TABLE pillars (
    pillar VARCHAR PRIMARY KEY,    -- economy / society / environment
    name_ja VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    text_ja VARCHAR NOT NULL,      -- the plan's paragraphs for the pillar, joined by newlines
    text_en VARCHAR NOT NULL
);

CREATE TABLE policy_areas (
    policy_area_id VARCHAR PRIMARY KEY,
    number INTEGER NOT NULL,
    name_ja VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    vision_title_ja VARCHAR,
    vision_title_en VARCHAR,
    vision_ja VARCHAR,
    vision_en VARCHAR
);

CREATE TABLE initiatives (
    initiative_id VARCHAR PRIMARY KEY,   -- '1-4' = policy area 1, initiative ④
    policy_area_id VARCHAR NOT NULL REFERENCES policy_areas (policy_area_id),
    policy_area_number INTEGER NOT NULL,
    number INTEGER NOT NULL,
    name_ja VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL
);

CREATE TABLE measures (
    measure_id VARCHAR PRIMARY KEY,      -- '1-4-2' = the 2nd ○ measure of initiative 1-④
    initiative_id VARCHAR NOT NULL REFERENCES initiatives (initiative_id),
    number INTEGER NOT NULL,
    name_ja VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL
);

CREATE TABLE measure_actions (
    action_id VARCHAR PRIMARY KEY,
    measure_id VARCHAR NOT NULL REFERENCES measures (measure_id),
    number INTEGER NOT NULL,
    text_ja VARCHAR NOT NULL,
    text_en VARCHAR NOT NULL
);

CREATE TABLE plan_texts (
    section VARCHAR NOT NULL,            -- city_image, city_image_note, basic_goal, overview
    ord INTEGER NOT NULL,
    text_ja VARCHAR NOT NULL,
    text_en VARCHAR NOT NULL,
    PRIMARY KEY (section, ord)
);

CREATE TABLE kpis (
    kpi_id VARCHAR PRIMARY KEY,
    name_ja VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    unit_ja VARCHAR NOT NULL,            -- as printed: %, g, か所, 台, 件, 万本, 万円, 万人/日
    unit_en VARCHAR NOT NULL,
    en_scale INTEGER NOT NULL,           -- English shows value × en_scale (万 units: 10000)
    source_ja VARCHAR,                   -- as printed in parentheses, e.g. 環境局調べ
    source_en VARCHAR,
    direction VARCHAR NOT NULL CHECK (direction IN ('increase', 'decrease', 'maintain')),
    better VARCHAR NOT NULL CHECK (better IN ('higher', 'lower')),
    target_qualifier VARCHAR,            -- 以上 / 以下 as printed, or NULL
    period_type VARCHAR NOT NULL CHECK (period_type IN ('fiscal', 'calendar')),
    baseline_period INTEGER,
    baseline_value DOUBLE,
    baseline_decimals INTEGER,
    target_period INTEGER NOT NULL,
    target_value DOUBLE NOT NULL,
    target_decimals INTEGER NOT NULL,
    plan_term INTEGER NOT NULL CHECK (plan_term IN (2, 3)),
    pillar VARCHAR CHECK (pillar IN ('economy', 'society', 'environment')),
    same_indicator_as VARCHAR,
    note_ja VARCHAR,
    note_en VARCHAR,
    sort_order INTEGER NOT NULL          -- the order of kpis.csv
);

CREATE TABLE kpi_targets (
    kpi_id VARCHAR NOT NULL REFERENCES kpis (kpi_id),
    target_id VARCHAR NOT NULL REFERENCES sdg_targets (target_id),
    ord INTEGER NOT NULL,                -- the order printed beside the KPI
    PRIMARY KEY (kpi_id, target_id)
);

CREATE TABLE kpi_initiatives (
    kpi_id VARCHAR NOT NULL REFERENCES kpis (kpi_id),
    initiative_id VARCHAR NOT NULL REFERENCES initiatives (initiative_id),
    PRIMARY KEY (kpi_id, initiative_id)
);

CREATE TABLE kpi_observations (
    kpi_id VARCHAR NOT NULL REFERENCES kpis (kpi_id),
    period INTEGER NOT NULL,
    period_type VARCHAR NOT NULL,
    value DOUBLE NOT NULL,
    decimals INTEGER NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('baseline', 'actual', 'target')),
    source_ja VARCHAR,
    source_en VARCHAR,
    note_ja VARCHAR,
    note_en VARCHAR,
    plan_verdict_ja VARCHAR,             -- the plan's own words on an actual (NULL if none)
    plan_verdict_en VARCHAR,
    PRIMARY KEY (kpi_id, period, kind)
);

CREATE TABLE kpi_progress (
    kpi_id VARCHAR PRIMARY KEY REFERENCES kpis (kpi_id),
    latest_period INTEGER,               -- latest actual; the baseline while there is none
    latest_value DOUBLE,
    latest_decimals INTEGER,
    latest_kind VARCHAR,                 -- 'actual' or 'baseline'
    progress_ratio DOUBLE,               -- NULL while there is no actual (or no baseline)
    expected_value DOUBLE,               -- the straight-line value at latest_period
    status VARCHAR NOT NULL CHECK (status IN ('achieved', 'on_track', 'behind', 'not_achieved', 'no_actual')),
    plan_verdict_ja VARCHAR,             -- the plan's own words on the latest actual, beside status
    plan_verdict_en VARCHAR
);

CREATE TABLE wards (
    ward_code VARCHAR PRIMARY KEY,       -- JIS code 14131–14137
    name_ja VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    geometry VARCHAR NOT NULL            -- GeoJSON geometry (WGS84), simplified
);

CREATE TABLE ward_indicator_defs (
    indicator_id VARCHAR PRIMARY KEY,
    name_ja VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    unit_ja VARCHAR NOT NULL,
    unit_en VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,               -- count, population, population_65plus, area, share, mean, density, change
    kpi_id VARCHAR REFERENCES kpis (kpi_id),
    description_ja VARCHAR,
    description_en VARCHAR,
    derivation VARCHAR CHECK (derivation IN ('percent_change', 'population_x_share')),
    derived_from VARCHAR[],              -- the two indicators a derived one is computed from
    fixed_denominator VARCHAR,           -- divide by this indicator whatever its date (stated)
    caution_ja VARCHAR,                  -- shown as a warning with the map
    caution_en VARCHAR
);

CREATE TABLE ward_indicators (
    ward_code VARCHAR NOT NULL REFERENCES wards (ward_code),
    indicator_id VARCHAR NOT NULL REFERENCES ward_indicator_defs (indicator_id),
    reference_date VARCHAR,              -- YYYY-MM-DD, YYYY-MM or YYYY; NULL when the source prints none
    value DOUBLE NOT NULL,
    decimals INTEGER NOT NULL,
    unit VARCHAR NOT NULL,
    source_title VARCHAR NOT NULL,
    source_url VARCHAR,
    source_type VARCHAR NOT NULL CHECK (source_type IN ('official', 'secondary')),  -- derived: secondary if an input is
    derived BOOLEAN NOT NULL,            -- computed by the build (ward_indicator_defs.derivation)
    attribution VARCHAR                  -- a key of attributions (checked by the build)
);

CREATE TABLE ward_places (
    place_id VARCHAR NOT NULL,           -- a place the plan names; one row per ward it lies in
    ward_code VARCHAR NOT NULL REFERENCES wards (ward_code),
    name_ja VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    initiative_id VARCHAR NOT NULL REFERENCES initiatives (initiative_id),
    plan_section_ja VARCHAR NOT NULL,    -- where in the plan the place appears
    plan_section_en VARCHAR NOT NULL,
    note_ja VARCHAR,                     -- how the ward was verified, caveats
    note_en VARCHAR,
    sort_order INTEGER NOT NULL,         -- the order of places.csv
    PRIMARY KEY (place_id, ward_code)
);

CREATE TABLE attributions (
    key VARCHAR PRIMARY KEY,
    text_ja VARCHAR NOT NULL,
    text_en VARCHAR NOT NULL,
    url VARCHAR
);

CREATE TABLE plan_context (
    fact_id VARCHAR PRIMARY KEY,         -- a fact the plan prints (data/plan/context.csv)
    shown_on VARCHAR[] NOT NULL,         -- home, progress; every fact is also on the about page
    kpi_id VARCHAR REFERENCES kpis (kpi_id),  -- shown on this KPI's details (and chart, with value)
    label_ja VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL,
    figure_ja VARCHAR,                   -- the figure as printed: 155万人超, ▲50%
    figure_en VARCHAR,
    as_of_ja VARCHAR,                    -- the date or period as printed
    as_of_en VARCHAR,
    quote_ja VARCHAR NOT NULL,           -- the plan's words (checked against the plan text)
    text_en VARCHAR,                     -- unofficial translation
    plan_section_ja VARCHAR NOT NULL,
    plan_section_en VARCHAR,
    plan_line INTEGER NOT NULL,          -- line of data/sources/plan_3rd_term_ocr.txt
    value DOUBLE,                        -- with period: a goal drawn on the KPI's chart
    decimals INTEGER,
    period INTEGER,
    sort_order INTEGER NOT NULL
);

-- The release history (kawasaki/releases.py): one row per file of data/releases/, newest
-- last; a release's changes in plain words in both languages.
CREATE TABLE releases (
    release_id VARCHAR PRIMARY KEY,      -- its file's name without .json: '20261128T013000Z-ab12cd34ef56'
    kind VARCHAR NOT NULL CHECK (kind IN ('initial', 'build', 'rollback', 'preview')),
    released_at TIMESTAMPTZ NOT NULL,
    stamp VARCHAR NOT NULL,              -- the build_stamp it published (a rollback: the one restored)
    previous_stamp VARCHAR,              -- the build_stamp served before it
    data_as_of DATE,
    title_ja VARCHAR NOT NULL,
    title_en VARCHAR NOT NULL,
    summary_ja VARCHAR NOT NULL,         -- one line: how many changes of which sort
    summary_en VARCHAR NOT NULL,
    note_ja VARCHAR,
    note_en VARCHAR,
    change_count INTEGER NOT NULL
);

CREATE TABLE release_changes (
    release_id VARCHAR NOT NULL REFERENCES releases (release_id),
    ord INTEGER NOT NULL,                -- the order of the release's change list
    kind VARCHAR NOT NULL,               -- kpi_value, kpi_status, kpi, ward_value, data_as_of, row
    action VARCHAR NOT NULL CHECK (action IN ('added', 'changed', 'removed')),
    kpi_id VARCHAR,                      -- the KPI it concerns (no FK: a removed KPI keeps its history)
    ward_code VARCHAR,
    indicator_id VARCHAR,
    period INTEGER,
    status_old VARCHAR,                  -- the KPI's status before and after, when it changed
    status_new VARCHAR,
    text_ja VARCHAR NOT NULL,
    text_en VARCHAR NOT NULL,
    PRIMARY KEY (release_id, ord)
);

CREATE TABLE build_sources (
    path VARCHAR PRIMARY KEY,            -- relative to data/
    sha256 VARCHAR NOT NULL,
    bytes BIGINT NOT NULL
);

CREATE TABLE build_info (
    built_at TIMESTAMPTZ NOT NULL,
    build_stamp VARCHAR NOT NULL,        -- hash of the source files and schema version
    schema_version INTEGER NOT NULL,
    data_as_of DATE NOT NULL,
    plan_title_ja VARCHAR NOT NULL,
    plan_title_en VARCHAR NOT NULL,
    kpi_count INTEGER NOT NULL
);

-- Every KPI with its progress, its initiatives and policy areas, its goals and its
-- SDG targets in one row: what the pages list and filter (kawasaki/queries.py).
CREATE VIEW kpi_list AS
WITH placements AS (
    SELECT ki.kpi_id,
           list(ki.initiative_id ORDER BY i.policy_area_number, i.number) AS initiative_ids,
           list(DISTINCT i.policy_area_number ORDER BY i.policy_area_number) AS areas
    FROM kpi_initiatives ki JOIN initiatives i USING (initiative_id)
    GROUP BY ki.kpi_id
),
links AS (
    SELECT kt.kpi_id,
           list(DISTINCT t.goal ORDER BY t.goal) AS goals,
           list(kt.target_id ORDER BY kt.ord) AS targets
    FROM kpi_targets kt JOIN sdg_targets t USING (target_id)
    GROUP BY kt.kpi_id
),
final AS (
    SELECT k.*, p.latest_period, p.latest_value, p.latest_decimals, p.latest_kind,
           p.progress_ratio, p.expected_value, p.status, p.plan_verdict_ja, p.plan_verdict_en,
           coalesce(pl.initiative_ids, []) AS initiative_ids,
           coalesce(pl.areas, []) AS areas,
           coalesce(l.goals, []) AS goals,
           coalesce(l.targets, []) AS targets
    FROM kpis k
    JOIN kpi_progress p USING (kpi_id)
    LEFT JOIN placements pl USING (kpi_id)
    LEFT JOIN links l USING (kpi_id)
)
SELECT * FROM final;
