//! The inbox peer: the federation crate's own inbox path, `receive_activity` behind its
//! axum middleware, in a child of this binary (`--peer-inbox <sqlite url> <port>`), over
//! the same signed `Create(Note)` requests as the coopdir inbox benchmark, on a copy of the
//! node's database taken before that run (the same stored remote actors), writing the same
//! row into the same table (`received_activity`, `ON CONFLICT DO NOTHING`).
//!
//! What the crate does per request: digest check, JSON parse of the activity, the actor
//! read through `Object::read_from_id` (here one `SELECT` of the stored actor; it is fresh,
//! so nothing is fetched), signature verification with its key, then `Activity::receive`.
//! No domain policy, no duplicate check beyond the insert's conflict clause, no handler
//! work: the minimum a developer of this stack writes.
//!
//! The crate runs in debug mode: outside it, its URL check refuses ids with an explicit
//! port, and every actor here is on a loopback port.

use activitypub_federation::{
    axum::inbox::{ActivityData, receive_activity},
    config::{Data, FederationConfig, FederationMiddleware},
    fetch::object_id::ObjectId,
    traits::{Activity, Actor, Object},
};
use anyhow::{Result, anyhow};
use axum::{Router, http::StatusCode, routing::post};
use chrono::{DateTime, Utc};
use coopdir::db::entities::{actor, received_activity};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, sea_query::OnConflict,
};
use serde::Deserialize;
use serde_json::Value;
use url::Url;

#[derive(Debug, Clone)]
struct StoredActor {
    id: Url,
    public_key_pem: String,
    inbox: Url,
}

#[async_trait::async_trait]
impl Object for StoredActor {
    type DataType = DatabaseConnection;
    type Kind = Value;
    type Error = anyhow::Error;

    fn id(&self) -> &Url {
        &self.id
    }

    fn last_refreshed_at(&self) -> Option<DateTime<Utc>> {
        // Stored just before the run: never refetched.
        Some(Utc::now())
    }

    async fn read_from_id(id: Url, data: &Data<DatabaseConnection>) -> Result<Option<Self>> {
        let Some(a) = actor::Entity::find()
            .filter(actor::Column::ApId.eq(id.as_str()))
            .one(data.app_data())
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(StoredActor {
            inbox: Url::parse(&a.inbox)?,
            id,
            public_key_pem: a.public_key_pem,
        }))
    }

    async fn into_json(self, _data: &Data<DatabaseConnection>) -> Result<Value> {
        Ok(serde_json::json!({ "id": self.id }))
    }

    async fn verify(
        _json: &Value,
        _expected: &Url,
        _data: &Data<DatabaseConnection>,
    ) -> Result<()> {
        Ok(())
    }

    async fn from_json(_json: Value, _data: &Data<DatabaseConnection>) -> Result<Self> {
        Err(anyhow!("the inbox peer never fetches actors"))
    }
}

impl Actor for StoredActor {
    fn public_key_pem(&self) -> &str {
        &self.public_key_pem
    }

    fn private_key_pem(&self) -> Option<String> {
        None
    }

    fn inbox(&self) -> Url {
        self.inbox.clone()
    }
}

#[derive(Debug, Deserialize)]
struct Create {
    id: Url,
    actor: ObjectId<StoredActor>,
    #[allow(dead_code)]
    object: Value,
}

#[async_trait::async_trait]
impl Activity for Create {
    type DataType = DatabaseConnection;
    type Error = anyhow::Error;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, _data: &Data<DatabaseConnection>) -> Result<()> {
        Ok(())
    }

    async fn receive(self, data: &Data<DatabaseConnection>) -> Result<()> {
        received_activity::Entity::insert(received_activity::ActiveModel {
            ap_id: Set(self.id.to_string()),
            received_at: Set(Utc::now()),
        })
        .on_conflict(
            OnConflict::column(received_activity::Column::ApId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(data.app_data())
        .await?;
        Ok(())
    }
}

async fn inbox(data: Data<DatabaseConnection>, activity: ActivityData) -> StatusCode {
    match receive_activity::<Create, StoredActor, DatabaseConnection>(activity, &data).await {
        Ok(()) => StatusCode::ACCEPTED,
        Err(e) => {
            eprintln!("inbox peer: {e:#}");
            StatusCode::BAD_REQUEST
        }
    }
}

/// Child side: `--peer-inbox <sqlite url> <port>`; serves until killed.
pub fn peer_inbox_main(db_url: &str, port: u16) -> Result<()> {
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async move {
        let db = coopdir::db::connect(db_url).await?;
        let config = FederationConfig::builder()
            .domain(format!("localhost:{port}"))
            .app_data(db)
            .debug(true)
            .http_signature_compat(true)
            .build()
            .await?;
        let app = Router::new()
            .route("/inbox", post(inbox))
            .route("/livez", axum::routing::get(|| async { "ok" }))
            .layer(FederationMiddleware::new(config));
        let listener = tokio::net::TcpListener::bind(super::node::addr(port)).await?;
        axum::serve(listener, app).await?;
        Ok(())
    })
}
