//! Announcements in several languages: `announcement.language`, the language of `source`
//! and `content_html` when it was posted (the node's default language; null for older
//! rows), and `announcement.translations`, a JSON object of the texts in other languages,
//! `{tag: {"source": …, "html": …}}` (`{}` when there are none). The Note carries them as
//! `contentMap`.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000016_announcement_languages"
    }
}

#[derive(Iden)]
enum Announcement {
    Table,
    Language,
    Translations,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table(Announcement::Table)
                    .add_column(ColumnDef::new(Announcement::Language).string().null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Announcement::Table)
                    .add_column(
                        ColumnDef::new(Announcement::Translations)
                            .text()
                            .not_null()
                            .default("{}"),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Announcement::Table)
                    .drop_column(Announcement::Translations)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Announcement::Table)
                    .drop_column(Announcement::Language)
                    .to_owned(),
            )
            .await
    }
}
