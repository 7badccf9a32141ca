//! Replies under announcements: members' questions from the fediverse and the co-op's
//! answers, one table. A row is threaded one level: `parent_id` is the top-level reply it
//! belongs under (none for a reply to the announcement itself).

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000013_replies"
    }
}

#[derive(Iden)]
enum Reply {
    Table,
    Id,
    ApId,
    AnnouncementId,
    ParentId,
    InReplyTo,
    ActorId,
    Local,
    ContentHtml,
    Url,
    Visibility,
    Published,
    Updated,
    Deleted,
    Hidden,
    Pinned,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Reply::Table)
                    .col(
                        ColumnDef::new(Reply::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Reply::ApId).string().not_null().unique_key())
                    .col(
                        ColumnDef::new(Reply::AnnouncementId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Reply::ParentId).big_integer().null())
                    .col(ColumnDef::new(Reply::InReplyTo).string().not_null())
                    .col(ColumnDef::new(Reply::ActorId).big_integer().not_null())
                    .col(
                        ColumnDef::new(Reply::Local)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(ColumnDef::new(Reply::ContentHtml).text().not_null())
                    .col(ColumnDef::new(Reply::Url).string().null())
                    .col(ColumnDef::new(Reply::Visibility).string().not_null())
                    .col(
                        ColumnDef::new(Reply::Published)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Reply::Updated)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Reply::Deleted)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(
                        ColumnDef::new(Reply::Hidden)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(
                        ColumnDef::new(Reply::Pinned)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(
                        ColumnDef::new(Reply::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("reply_announcement")
                    .table(Reply::Table)
                    .col(Reply::AnnouncementId)
                    .col(Reply::Published)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Reply::Table).to_owned())
            .await
    }
}
