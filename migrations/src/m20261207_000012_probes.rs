//! Live probes of offerings' services: per listing, when its co-op last confirmed its data,
//! when it is probed next and what the last probe found (`listing_probe`); the history of
//! probe outcomes that uptime is computed from (`probe_result`); and reports of outdated
//! information filed by members (`outdated_report`). A peer's listing carries the liveness
//! its own node published (`listing_probe.published`); this node never probes it.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000012_probes"
    }
}

#[derive(Iden)]
enum ListingProbe {
    Table,
    ActorId,
    ConfirmedAt,
    NextProbeAt,
    CheckedAt,
    Outcome,
    LatencyMs,
    ObservedVersion,
    Detail,
    DownSince,
    EscalatedAt,
    Published,
}

#[derive(Iden)]
enum ProbeResult {
    Table,
    Id,
    ActorId,
    CheckedAt,
    Outcome,
}

#[derive(Iden)]
enum OutdatedReport {
    Table,
    Id,
    ActorId,
    Comment,
    State,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ListingProbe::Table)
                    .col(
                        ColumnDef::new(ListingProbe::ActorId)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ListingProbe::ConfirmedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(ListingProbe::NextProbeAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(ListingProbe::CheckedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(ListingProbe::Outcome).string().null())
                    .col(ColumnDef::new(ListingProbe::LatencyMs).big_integer().null())
                    .col(
                        ColumnDef::new(ListingProbe::ObservedVersion)
                            .string()
                            .null(),
                    )
                    .col(ColumnDef::new(ListingProbe::Detail).string().null())
                    .col(
                        ColumnDef::new(ListingProbe::DownSince)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(ListingProbe::EscalatedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(ListingProbe::Published).text().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_listing_probe_next")
                    .table(ListingProbe::Table)
                    .col(ListingProbe::NextProbeAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProbeResult::Table)
                    .col(
                        ColumnDef::new(ProbeResult::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ProbeResult::ActorId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProbeResult::CheckedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ProbeResult::Outcome).string().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_probe_result_actor_time")
                    .table(ProbeResult::Table)
                    .col(ProbeResult::ActorId)
                    .col(ProbeResult::CheckedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OutdatedReport::Table)
                    .col(
                        ColumnDef::new(OutdatedReport::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(OutdatedReport::ActorId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(OutdatedReport::Comment).text().not_null())
                    .col(
                        ColumnDef::new(OutdatedReport::State)
                            .string()
                            .not_null()
                            .default("open"),
                    )
                    .col(
                        ColumnDef::new(OutdatedReport::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outdated_report_actor")
                    .table(OutdatedReport::Table)
                    .col(OutdatedReport::ActorId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            OutdatedReport::Table.into_iden(),
            ProbeResult::Table.into_iden(),
            ListingProbe::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
