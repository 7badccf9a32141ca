//! Lifecycle milestones already acted on (sunset reminders, closing), so that scheduled
//! work runs once even with several node processes on one database.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000003_lifecycle"
    }
}

#[derive(Iden)]
enum LifecycleEvent {
    Table,
    Id,
    ActorId,
    Milestone,
    DueOn,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LifecycleEvent::Table)
                    .col(
                        ColumnDef::new(LifecycleEvent::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(LifecycleEvent::ActorId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(LifecycleEvent::Milestone)
                            .string()
                            .not_null(),
                    )
                    .col(ColumnDef::new(LifecycleEvent::DueOn).date().not_null())
                    .col(
                        ColumnDef::new(LifecycleEvent::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("lifecycle_event_once")
                    .table(LifecycleEvent::Table)
                    .col(LifecycleEvent::ActorId)
                    .col(LifecycleEvent::Milestone)
                    .col(LifecycleEvent::DueOn)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LifecycleEvent::Table).to_owned())
            .await
    }
}
