"""The warehouse schema as an ordered list of migrations.

Each migration runs once, in its own transaction, and is recorded in
`schema_migration` inside the warehouse file, so a newer release upgrades an
existing warehouse in place. Never edit a released migration: add a new one.

Units: money in GBP (`_gbp`), areas in m² (`_m2`) and hectares (`_ha`), energy
in kWh, carbon in tonnes CO2e. Quarters are stored as their first day.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


MIGRATIONS: list[Migration] = [
    Migration(
        1,
        "data contract: organisations, spend, workforce, estate, geography, audit",
        """
        create table footprint (
            footprint_code varchar primary key,
            name varchar not null,
            is_demo boolean not null default false
        );
        -- the footprint's home place: the local authorities counted as local by default
        create table footprint_lad (
            footprint_code varchar not null,
            lad_code varchar not null,
            primary key (footprint_code, lad_code)
        );
        create table organisation (
            org_code varchar primary key,          -- ODS code, e.g. RXK
            name varchar not null,
            org_type varchar not null,
            footprint_code varchar,
            is_demo boolean not null default false
        );
        create table site (
            site_code varchar primary key,
            org_code varchar not null,
            name varchar not null,
            postcode varchar,                      -- normalised, e.g. 'B71 4HJ'
            is_demo boolean not null default false
        );
        create table supplier (
            supplier_id varchar primary key,
            name varchar not null,
            postcode varchar,                      -- normalised
            company_number varchar,
            is_sme boolean,
            is_vcse boolean,
            is_public_body boolean,
            is_demo boolean not null default false
        );
        -- spend categories and the flags that decide what is in scope and influenceable
        create table category (
            category varchar primary key,
            is_in_scope boolean not null default true,
            is_influenceable boolean not null default true,
            description varchar,
            is_demo boolean not null default false
        );
        -- one row per invoice line; credit notes are negative
        create table spend (
            org_code varchar not null,
            quarter_start date not null,           -- first day of the NHS quarter paid in
            paid_date date,
            supplier_id varchar not null,
            category varchar not null,
            amount_gbp decimal(18, 2) not null,
            invoice_date date,
            due_date date,
            load_id bigint,
            is_demo boolean not null default false
        );
        -- aggregated counts by home LSOA; never one row per person
        create table workforce (
            org_code varchar not null,
            quarter_start date not null,
            home_lsoa varchar,                     -- LSOA 2011 code of staff home
            staff_group varchar,
            afc_band varchar,
            headcount integer not null,            -- at the quarter's end
            fte double not null,
            gross_pay_gbp decimal(18, 2) not null, -- paid in the quarter
            starters integer not null default 0,   -- joined in the quarter
            apprentices integer not null default 0, -- apprenticeship starts in the quarter
            below_living_wage integer not null default 0,
            load_id bigint,
            is_demo boolean not null default false
        );
        -- after the NHS ERIC site return
        create table estate (
            org_code varchar not null,
            site_code varchar not null,
            quarter_start date not null,
            site_area_ha double,
            land_not_delivering_ha double,
            gia_m2 double,
            occupied_m2 double,
            empty_m2 double,
            underused_m2 double,
            clinical_m2 double,
            non_clinical_m2 double,
            backlog_cost_gbp decimal(18, 2),
            energy_kwh double,
            carbon_tco2e double,
            community_use_hours double,
            load_id bigint,
            is_demo boolean not null default false
        );
        -- a commitment to raise the local share, against a baseline period
        create table commitment (
            org_code varchar primary key,
            baseline_start date not null,
            baseline_end date not null,
            kind varchar not null,                 -- 'relative_pct' or 'points'
            amount double not null,
            target_date date not null,
            basis varchar not null default 'influenceable', -- or 'all'
            is_demo boolean not null default false
        );
        -- named sets of LADs: LEPs, combined authorities, user-defined places
        create table place (
            place_code varchar primary key,
            name varchar not null,
            kind varchar not null,
            is_demo boolean not null default false
        );
        create table place_lad (
            place_code varchar not null,
            lad_code varchar not null,
            primary key (place_code, lad_code)
        );
        -- deprivation by LSOA: imported from the English Indices, or synthetic for the demo
        create table imd_lsoa (
            lsoa_code varchar primary key,
            imd_decile integer not null,           -- 1 = most deprived 10%
            source varchar not null,
            is_synthetic boolean not null
        );
        -- every load: who, when, what file, what it replaced, how it ended
        create table load (
            load_id bigint primary key,
            loaded_at timestamp not null,
            loaded_by varchar not null,
            file_name varchar,
            sha256 varchar,
            table_name varchar not null,
            outcome varchar not null,              -- 'loaded', 'rejected', 'undone'
            message varchar,
            is_demo boolean not null default false,
            undone_at timestamp,
            undone_by varchar
        );
        create table load_slice (
            load_id bigint not null,
            table_name varchar not null,
            org_code varchar,
            quarter_start date,
            rows_added integer not null,
            rows_replaced integer not null
        );
        create sequence load_id_seq start 1;
        -- bumped by every change of data, so cached results can never be stale
        create table data_version (version bigint not null);
        insert into data_version values (0);

        -- reference geography, filled from the geography cache
        create table geo_postcode (
            postcode varchar,                      -- normalised, e.g. 'B71 4HJ'
            easting integer,                       -- British National Grid metres
            northing integer,
            lat double,
            lon double,
            lsoa_code varchar,
            lad_code varchar,
            icb_code varchar,
            is_live boolean,
            terminated_month date,
            located_by varchar,                    -- 'postcode' or 'lsoa_centroid'
            lsoa_from_neighbour boolean
        );
        create table geo_lsoa (
            lsoa_code varchar,
            lsoa_name varchar,
            lad_code varchar,
            icb_code varchar,
            easting integer,
            northing integer,
            lat double,
            lon double,
            geometry_wkb blob                      -- WGS84, simplified for the web
        );
        create table geo_lad (
            lad_code varchar,
            lad_name varchar,
            area_km2 double,
            geometry_wkb blob
        );
        create table geo_icb (
            icb_code varchar,
            icb_name varchar,
            geometry_wkb blob
        );
        create table geo_outline (
            name varchar,
            geometry_wkb blob
        );
        create table geo_meta (
            key varchar,
            value varchar
        );
        """,
    ),
]

MIGRATIONS.append(
    Migration(
        2,
        "places: the West Midlands Combined Authority and the area's LEPs",
        """
        -- Shipped as data; users may edit memberships. Codes are ONS LAD codes (2022).
        insert into place values
            ('WMCA', 'West Midlands Combined Authority', 'Combined authority', false),
            ('LEP-BC', 'Black Country LEP', 'Local Enterprise Partnership', false),
            ('LEP-GBS', 'Greater Birmingham and Solihull LEP', 'Local Enterprise Partnership',
             false);
        insert into place_lad values
            ('WMCA', 'E08000025'), ('WMCA', 'E08000026'), ('WMCA', 'E08000027'),
            ('WMCA', 'E08000028'), ('WMCA', 'E08000029'), ('WMCA', 'E08000030'),
            ('WMCA', 'E08000031'),
            ('LEP-BC', 'E08000027'), ('LEP-BC', 'E08000028'), ('LEP-BC', 'E08000030'),
            ('LEP-BC', 'E08000031'),
            ('LEP-GBS', 'E08000025'), ('LEP-GBS', 'E08000029'), ('LEP-GBS', 'E07000234'),
            ('LEP-GBS', 'E07000192'), ('LEP-GBS', 'E07000193'), ('LEP-GBS', 'E07000194'),
            ('LEP-GBS', 'E07000236'), ('LEP-GBS', 'E07000199'), ('LEP-GBS', 'E07000239');
        """,
    )
)
# Migration numbers 3 and above: data loading and audit (3), the local multiplier,
# scenarios and the supplier directory (4), loading organisations and sites (5). Append new
# migrations below, in order.

MIGRATIONS.append(
    Migration(
        3,
        "loading: transaction numbers, supplier loads, replaced rows kept for undo, saved mappings",
        """
        -- the published spend files number every transaction; kept to tell repeated lines apart
        alter table spend add column transaction_number varchar;
        -- which load wrote a supplier row (null for the demo and for rows added by hand)
        alter table supplier add column load_id bigint;

        -- Rows a load replaced, kept so that undoing it puts them back exactly. `replaced_by`
        -- is the load that replaced them; `load_id` is still the load that first wrote them.
        -- Each mirrors its table: a migration that adds a column there adds it here too.
        create table spend_replaced as select *, null::bigint as replaced_by from spend limit 0;
        create table workforce_replaced as
            select *, null::bigint as replaced_by from workforce limit 0;
        create table estate_replaced as select *, null::bigint as replaced_by from estate limit 0;
        create table supplier_replaced as
            select *, null::bigint as replaced_by from supplier limit 0;

        -- how an analyst's own file layout maps to ours, remembered for the next quarter
        create table load_mapping (
            table_name varchar not null,
            header_key varchar not null,           -- the file's column names, normalised
            mapping varchar not null,              -- JSON: our column -> the file's column
            saved_at timestamp not null,
            saved_by varchar not null,
            primary key (table_name, header_key)
        );
        """,
    )
)

MIGRATIONS.append(
    Migration(
        4,
        "the local multiplier (surveys, assumptions), scenarios and the local supplier directory",
        """
        -- LM3 supplier survey: how much of a local supplier's own spending stays local
        create table supplier_survey (
            supplier_id varchar primary key,
            local_spend_share double not null,     -- of its spend on goods and services, 0 to 1
            local_payroll_share double not null,   -- of its payroll paid to local residents
            surveyed_on date,
            source varchar,
            load_id bigint,
            is_demo boolean not null default false
        );
        -- LM3 staff survey, aggregated per organisation
        create table staff_survey (
            org_code varchar primary key,
            net_pay_local_share double not null,   -- share of net pay spent locally, 0 to 1
            respondents integer,
            surveyed_on date,
            source varchar,
            load_id bigint,
            is_demo boolean not null default false
        );
        -- the stated assumptions used where there is no survey; users may edit them
        create table lm3_assumption (
            key varchar primary key,
            value double not null,
            source varchar not null,
            updated_at timestamp,
            updated_by varchar
        );
        -- named what-if scenarios; results are worked out afresh from the data each time
        create table scenario (
            scenario_id bigint primary key,
            name varchar not null unique,
            definition varchar not null,           -- JSON: organisations, period, place, levers
            created_at timestamp not null,
            created_by varchar not null
        );
        create sequence scenario_id_seq start 1;
        -- the local supplier directory ("virtual hospital"): what local businesses can supply
        create table local_business (
            business_id varchar primary key,
            name varchar not null,
            postcode varchar,                      -- normalised
            categories varchar[] not null,         -- spend categories it can supply
            is_sme boolean,
            is_vcse boolean,
            health_approved boolean,               -- approved for health-sector supply
            frameworks varchar,                    -- frameworks it is on, if any
            description varchar,
            supplier_id varchar,                   -- its id in the supplier register, if a supplier
            load_id bigint,
            is_demo boolean not null default false
        );
        """,
    )
)

MIGRATIONS.append(
    Migration(
        5,
        "loading organisations (with their footprint and its home place) and sites",
        """
        -- which load wrote a row (null for the demo and for rows added by hand)
        alter table organisation add column load_id bigint;
        alter table site add column load_id bigint;
        alter table footprint add column load_id bigint;
        alter table footprint_lad add column load_id bigint;

        -- Rows a load replaced, kept for undo, as in migration 3. An organisations file also
        -- writes the footprints it names and their home local authorities.
        create table organisation_replaced as
            select *, null::bigint as replaced_by from organisation limit 0;
        create table site_replaced as select *, null::bigint as replaced_by from site limit 0;
        create table footprint_replaced as
            select *, null::bigint as replaced_by from footprint limit 0;
        create table footprint_lad_replaced as
            select *, null::bigint as replaced_by from footprint_lad limit 0;
        """,
    )
)

MIGRATIONS.append(
    Migration(
        6,
        "organisations keep the postcode of their headquarters",
        """
        -- as NHS Digital's organisation files give it; normalised, e.g. 'B71 4HJ'
        alter table organisation add column postcode varchar;
        alter table organisation_replaced add column postcode varchar;
        """,
    )
)

MIGRATIONS.append(
    Migration(
        7,
        "spend loads replace organisation-months",
        """
        -- a spend load's audit rows are by month of payment, with the £ added and replaced
        -- (null for other loads, and for spend loaded before loads were by month)
        alter table load_slice add column month_start date;
        alter table load_slice add column gbp_added decimal(18, 2);
        alter table load_slice add column gbp_replaced decimal(18, 2);
        -- stray lines added to their own month alongside what it held, replacing nothing
        alter table load_slice add column is_stray boolean;
        """,
    )
)

MIGRATIONS.append(
    Migration(
        8,
        "organisations' names as published files spell them, confirmed once and remembered",
        """
        -- a spelling of an organisation's name in published files ('Chelsea & Westminster NHS
        -- FT'), confirmed by an analyst with the load that first used it
        create table org_alias (
            alias_key varchar primary key,         -- the spelling, normalised as names are
            alias varchar not null,                -- as the file gave it
            org_code varchar not null,
            saved_at timestamp not null,
            saved_by varchar not null,
            load_id bigint
        );
        """,
    )
)

MIGRATIONS.append(
    Migration(
        9,
        "Companies House companies, and how each supplier's location was found",
        """
        -- Companies House's free "Basic Company Data", as an analyst imported it: replaced
        -- whole by each import (it is a snapshot of the register)
        create table company (
            company_number varchar primary key,    -- e.g. '03529700', 'SC123456'
            name varchar not null,
            name_key varchar not null,             -- the name normalised for matching
            postcode varchar,                      -- of the registered office, normalised
            company_category varchar,              -- e.g. 'Private Limited Company'
            company_status varchar,                -- e.g. 'Active'
            accounts_category varchar              -- e.g. 'MICRO ENTITY', 'FULL'
        );
        -- where a supplier's postcode (and flags) came from, so an analyst can review it:
        -- null for a supplier register or demo row; 'analyst' for one corrected by hand
        alter table supplier add column location_method varchar;
        alter table supplier add column location_confidence varchar; -- certain, high, medium
        alter table supplier add column vat_number varchar;
        alter table supplier_replaced add column location_method varchar;
        alter table supplier_replaced add column location_confidence varchar;
        alter table supplier_replaced add column vat_number varchar;
        """,
    )
)

MIGRATIONS.append(
    Migration(
        10,
        "commitments entered by analysts: for an organisation or a footprint, any measure, "
        "where each was made, loaded and undone like any file; change points analysts record",
        """
        -- Rebuilt, as a table's primary key cannot be dropped: a footprint's commitment has
        -- no organisation, and one organisation may commit on several measures.
        create table commitment_entered (
            org_code varchar,                      -- the organisation; null for a footprint's
            footprint_code varchar,                -- the footprint, for one made together
            measure varchar not null default 'local_spend_share',
            baseline_start date not null,          -- first quarter of the baseline
            baseline_end date not null,            -- last quarter of the baseline
            kind varchar not null,                 -- 'relative_pct' or 'points'
            amount double not null,                -- the rise: % of the baseline, or points
            target_quarter date not null,          -- the quarter the target is for
            basis varchar not null default 'influenceable', -- or 'all'
            made_in varchar,                       -- where it was made: a plan, a board paper
            load_id bigint,
            is_demo boolean not null default false
        );
        insert into commitment_entered by name
            select org_code, null as footprint_code, 'local_spend_share' as measure,
                   baseline_start, baseline_end, kind, amount,
                   date_trunc('quarter', target_date)::date as target_quarter, basis,
                   null as made_in, null as load_id, is_demo
            from commitment;
        drop table commitment;
        alter table commitment_entered rename to commitment;
        -- the commitments an entry replaced (the same organisation or footprint and
        -- measure), kept for undo as in migration 3
        create table commitment_replaced as
            select *, null::bigint as replaced_by from commitment limit 0;
        -- where a measure's process changed for an organisation or a footprint (a new hospital,
        -- a change of supplier register): its SPC limits are worked out afresh from there
        create table change_point (
            change_point_id bigint primary key,
            org_code varchar,                      -- the organisation; null for a footprint's
            footprint_code varchar,
            measure varchar not null,              -- as anchor/change_points.py names them
            quarter_start date not null,           -- the first quarter of the new phase
            name varchar not null,                 -- what changed, as the chart names it
            recorded_at timestamp not null,
            recorded_by varchar not null
        );
        create sequence change_point_id_seq start 1;
        """,
    )
)


MIGRATIONS.append(
    Migration(
        11,
        "a summary of spend by organisation, quarter, category and supplier, kept with every load",
        """
        -- invoice lines added up (anchor/summary.py): kept in step with spend by every load,
        -- undo and demo build, in the same transaction
        create table spend_summary (
            org_code varchar not null,
            quarter_start date not null,           -- first day of the NHS quarter paid in
            category varchar not null,
            supplier_id varchar not null,
            amount_gbp decimal(18, 2) not null,    -- net of credit notes
            invoice_lines bigint not null
        );
        insert into spend_summary
            select org_code, quarter_start, category, supplier_id,
                   sum(amount_gbp)::decimal(18, 2) as amount_gbp, count(*) as invoice_lines
            from spend
            group by all
            order by org_code, quarter_start;
        """,
    )
)

LATEST_VERSION = MIGRATIONS[-1].version
