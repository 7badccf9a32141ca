//! Moderation: domain blocks and the allowlist, the moderation log, reports (incoming
//! `Flag`s and reports filed here), and API tokens of accounts.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000004_moderation"
    }
}

#[derive(Iden)]
enum DomainBlock {
    Table,
    Id,
    Domain,
    Severity,
    Reason,
    CreatedBy,
    CreatedAt,
}

#[derive(Iden)]
enum DomainAllow {
    Table,
    Id,
    Domain,
    CreatedBy,
    CreatedAt,
}

#[derive(Iden)]
enum ModerationLog {
    Table,
    Id,
    ActorId,
    Target,
    Action,
    FromState,
    ToState,
    Moderator,
    Reason,
    ReportId,
    CreatedAt,
}

#[derive(Iden)]
enum Report {
    Table,
    Id,
    ApId,
    ReporterApId,
    ReporterDomain,
    TargetActorId,
    TargetApId,
    StatusUris,
    Comment,
    State,
    Resolution,
    ResolvedBy,
    ResolutionNote,
    ResolvedAt,
    ForwardedAt,
    CreatedAt,
}

#[derive(Iden)]
enum ApiToken {
    Table,
    Id,
    AccountId,
    Name,
    TokenHash,
    CreatedAt,
    LastUsedAt,
}

#[derive(Iden)]
enum Account {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DomainBlock::Table)
                    .col(
                        ColumnDef::new(DomainBlock::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(DomainBlock::Domain)
                            .string()
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(DomainBlock::Severity).string().not_null())
                    .col(ColumnDef::new(DomainBlock::Reason).text().null())
                    .col(ColumnDef::new(DomainBlock::CreatedBy).string().not_null())
                    .col(
                        ColumnDef::new(DomainBlock::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(DomainAllow::Table)
                    .col(
                        ColumnDef::new(DomainAllow::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(DomainAllow::Domain)
                            .string()
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(DomainAllow::CreatedBy).string().not_null())
                    .col(
                        ColumnDef::new(DomainAllow::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Report::Table)
                    .col(
                        ColumnDef::new(Report::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Report::ApId).string().null())
                    .col(ColumnDef::new(Report::ReporterApId).string().null())
                    .col(ColumnDef::new(Report::ReporterDomain).string().null())
                    .col(ColumnDef::new(Report::TargetActorId).big_integer().null())
                    .col(ColumnDef::new(Report::TargetApId).string().not_null())
                    .col(ColumnDef::new(Report::StatusUris).text().not_null())
                    .col(ColumnDef::new(Report::Comment).text().not_null())
                    .col(ColumnDef::new(Report::State).string().not_null())
                    .col(ColumnDef::new(Report::Resolution).string().null())
                    .col(ColumnDef::new(Report::ResolvedBy).string().null())
                    .col(ColumnDef::new(Report::ResolutionNote).text().null())
                    .col(
                        ColumnDef::new(Report::ResolvedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Report::ForwardedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Report::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("report_reporter_recent")
                    .table(Report::Table)
                    .col(Report::ReporterDomain)
                    .col(Report::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("report_state")
                    .table(Report::Table)
                    .col(Report::State)
                    .col(Report::Id)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ModerationLog::Table)
                    .col(
                        ColumnDef::new(ModerationLog::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(ModerationLog::ActorId).big_integer().null())
                    .col(ColumnDef::new(ModerationLog::Target).string().not_null())
                    .col(ColumnDef::new(ModerationLog::Action).string().not_null())
                    .col(ColumnDef::new(ModerationLog::FromState).string().null())
                    .col(ColumnDef::new(ModerationLog::ToState).string().null())
                    .col(ColumnDef::new(ModerationLog::Moderator).string().not_null())
                    .col(ColumnDef::new(ModerationLog::Reason).text().not_null())
                    .col(ColumnDef::new(ModerationLog::ReportId).big_integer().null())
                    .col(
                        ColumnDef::new(ModerationLog::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("moderation_log_actor")
                    .table(ModerationLog::Table)
                    .col(ModerationLog::ActorId)
                    .col(ModerationLog::Id)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ApiToken::Table)
                    .col(
                        ColumnDef::new(ApiToken::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(ApiToken::AccountId).big_integer().not_null())
                    .col(ColumnDef::new(ApiToken::Name).string().not_null())
                    .col(
                        ColumnDef::new(ApiToken::TokenHash)
                            .string()
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(ApiToken::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ApiToken::LastUsedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiToken::Table, ApiToken::AccountId)
                            .to(Account::Table, Account::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ApiToken::Table.into_iden(),
            ModerationLog::Table.into_iden(),
            Report::Table.into_iden(),
            DomainAllow::Table.into_iden(),
            DomainBlock::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
