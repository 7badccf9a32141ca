//! Followed sources of imported listings (`coopdir import URL --follow`): the URL, its
//! format, the co-op it gave, what HTTP said of its version (ETag, Last-Modified), when it
//! is read next and what the last reading gave.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000011_listing_sources"
    }
}

#[derive(Iden)]
enum ListingSource {
    Table,
    Id,
    Url,
    Format,
    CoopHandle,
    Etag,
    LastModified,
    CheckedAt,
    NextCheckAt,
    LastResult,
    Gone,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ListingSource::Table)
                    .col(
                        ColumnDef::new(ListingSource::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ListingSource::Url)
                            .string()
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(ListingSource::Format).string().null())
                    .col(ColumnDef::new(ListingSource::CoopHandle).string().null())
                    .col(ColumnDef::new(ListingSource::Etag).string().null())
                    .col(ColumnDef::new(ListingSource::LastModified).string().null())
                    .col(
                        ColumnDef::new(ListingSource::CheckedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(ListingSource::NextCheckAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ListingSource::LastResult)
                            .string()
                            .not_null()
                            .default(""),
                    )
                    .col(
                        ColumnDef::new(ListingSource::Gone)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(
                        ColumnDef::new(ListingSource::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ListingSource::Table).to_owned())
            .await
    }
}
