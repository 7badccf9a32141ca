//! Test harness: start nodes in this process, each with its own database, and helpers to
//! wait for what federation makes happen asynchronously.

#![allow(dead_code)]

use activitypub_federation::fetch::object_id::ObjectId;
pub use coopdir::directory::types::{
    ActorKind, AnnouncementKind, DeliveryState, Moderation, Status,
};
use coopdir::{
    Node,
    config::{Options, Settings},
    db::entities::actor,
    directory::{self, listing::ListingDocument},
    federation::{AppState, Ctx, actors::ApActor},
};
use sea_orm::{ConnectionTrait, Database};
use std::{future::Future, path::PathBuf, time::Duration};
use tokio::{net::TcpListener, sync::watch, task::JoinHandle};
use url::Url;

pub const MEETCOOP: &str = include_str!("../../docs/examples/meetcoop.toml");
pub const RHEINMEET: &str = include_str!("../../docs/examples/rheinmeet.json");

/// A database for one test: a SQLite file in a temporary directory, or a fresh PostgreSQL
/// database created on the server named by `COOPDIR_TEST_POSTGRES` and dropped afterwards.
pub struct TestDb {
    pub url: String,
    pub dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

impl TestDb {
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        match std::env::var("COOPDIR_TEST_POSTGRES") {
            Ok(server) if !server.is_empty() => {
                let name = format!("coopdir_t_{}", uuid::Uuid::new_v4().simple());
                let admin = Database::connect(server.clone())
                    .await
                    .expect("connect to the PostgreSQL test server");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create test database");
                let mut url = Url::parse(&server).expect("COOPDIR_TEST_POSTGRES is a URL");
                url.set_path(&format!("/{name}"));
                TestDb {
                    url: url.to_string(),
                    dir,
                    pg: Some((server, name)),
                }
            }
            _ => {
                let url = format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("coopdir.db").display()
                );
                TestDb { url, dir, pg: None }
            }
        }
    }

    fn placeholder() -> Self {
        TestDb {
            url: String::new(),
            dir: tempfile::tempdir().expect("temp dir"),
            pg: None,
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.pg.is_some()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((server, name)) = self.pg.take() {
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    if let Ok(admin) = Database::connect(server).await {
                        let _ = admin
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            ))
                            .await;
                    }
                });
            })
            .join();
        }
    }
}

/// Settings of a test node listening on `port`.
pub fn settings(port: u16, db: &TestDb) -> Settings {
    let mut s = Options {
        dev: true,
        public_url: Some(Url::parse(&format!("http://localhost:{port}")).expect("url")),
        database_url: Some(db.url.clone()),
        data_dir: Some(db.dir.path().to_path_buf()),
        ..Default::default()
    }
    .resolve()
    .expect("test settings");
    s.listen = ([127, 0, 0, 1], port).into();
    s.retry_base = Duration::from_millis(200);
    s.retry_max = Duration::from_secs(2);
    s
}

/// A running node in this process.
pub struct TestNode {
    pub state: AppState,
    pub ctx: Ctx,
    pub port: u16,
    pub base: String,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
    pub db: TestDb,
}

pub fn init_logs() {
    if std::env::var_os("COOPDIR_TEST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_env("COOPDIR_TEST_LOG"))
            .with_test_writer()
            .try_init();
    }
}

impl TestNode {
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(tweak: impl FnOnce(&mut Settings)) -> Self {
        init_logs();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let db = TestDb::new().await;
        Self::start_on(listener, db, tweak).await
    }

    /// Start on a given listener and database (to restart a stopped node).
    pub async fn start_on(
        listener: TcpListener,
        db: TestDb,
        tweak: impl FnOnce(&mut Settings),
    ) -> Self {
        let port = listener.local_addr().expect("addr").port();
        let mut s = settings(port, &db);
        tweak(&mut s);
        let node = Node::start(s).await.expect("node starts");
        let state = node.state.clone();
        let ctx = node.config.to_request_data();
        let (stop, rx) = watch::channel(false);
        let task = tokio::spawn(async move {
            node.serve(listener, rx).await.expect("serve");
        });
        TestNode {
            state,
            ctx,
            port,
            base: format!("http://localhost:{port}"),
            stop,
            task: Some(task),
            db,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn domain(&self) -> String {
        format!("localhost:{}", self.port)
    }

    /// Import a listing document through the same code as `coopdir import`.
    pub async fn import(&self, name: &str, text: &str) {
        let doc = ListingDocument::parse(name, text).expect("valid document");
        directory::import(&self.state, &doc).await.expect("import");
    }

    pub async fn local(&self, username: &str) -> actor::Model {
        directory::find_local(&self.state.db, username)
            .await
            .expect("db")
            .expect("local actor exists")
    }

    pub async fn instance(&self) -> actor::Model {
        self.local(directory::INSTANCE_USERNAME).await
    }

    /// Fetch (signed) and store a remote actor, as the node does when it meets one.
    pub async fn resolve(&self, url: &str) -> actor::Model {
        let id: ObjectId<ApActor> = ObjectId::parse(url).expect("actor url");
        id.dereference(&self.ctx.reset_request_count())
            .await
            .expect("dereference remote actor")
            .model
    }

    /// This node's instance actor follows the actor at `target_url` (fetched and stored
    /// first); returns the target once its Accept has arrived.
    pub async fn follow(&self, target_url: &str) -> actor::Model {
        use sea_orm::TransactionTrait;
        let target = self.resolve(target_url).await;
        let follower = self.instance().await;
        let txn = self.state.db.begin().await.expect("begin");
        coopdir::federation::send::follow(&txn, &self.state, &follower, &target)
            .await
            .expect("follow");
        txn.commit().await.expect("commit");
        self.state.queue_notify.notify_one();
        self.wait_accepted(target_url).await;
        target
    }

    /// Wait until this node's follow of `target_url` is accepted.
    pub async fn wait_accepted(&self, target_url: &str) {
        use coopdir::db::entities::following;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        eventually(
            20,
            &format!("the follow of {target_url} is accepted"),
            || async {
                following::Entity::find()
                    .filter(following::Column::TargetApId.eq(target_url))
                    .filter(following::Column::Accepted.eq(true))
                    .one(&self.state.db)
                    .await
                    .expect("db")
            },
        )
        .await;
    }

    /// True when this node's inbox accepted the activity `id`.
    pub async fn has_received(&self, id: &str) -> bool {
        use sea_orm::EntityTrait;
        coopdir::db::entities::received_activity::Entity::find_by_id(id.to_string())
            .one(&self.state.db)
            .await
            .expect("db")
            .is_some()
    }

    /// Wait until this node's inbox accepted the activity `id`.
    pub async fn wait_received(&self, id: &str) {
        eventually(30, &format!("the node receives {id}"), || async {
            self.has_received(id).await.then_some(())
        })
        .await;
    }

    /// Stop serving; the database is kept for a restart on the same port.
    pub async fn shut_down(mut self) -> (TestDb, u16) {
        let _ = self.stop.send(true);
        if let Some(t) = self.task.take() {
            let _ = tokio::time::timeout(Duration::from_secs(10), t).await;
        }
        let port = self.port;
        // Move the database out; the rest of the node is dropped.
        let db = std::mem::replace(&mut self.db, TestDb::placeholder());
        (db, port)
    }
}

impl Drop for TestNode {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// Poll `check` until it returns `Some`, or fail after `secs` seconds with `what`.
pub async fn eventually<T, F, Fut>(secs: u64, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        if tokio::time::Instant::now() > deadline {
            panic!("timed out after {secs}s waiting for: {what}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// An actor's document, as a fediverse server fetches it.
pub async fn actor_json(url: &str) -> serde_json::Value {
    http()
        .get(url)
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// Path of the built `coopdir` binary.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_coopdir"))
}

/// A free loopback port (bound and released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// A `coopdir serve` process of the built binary, killed when dropped.
pub struct Proc {
    pub child: tokio::process::Child,
    pub port: u16,
    pub data: PathBuf,
}

impl Proc {
    pub fn args(port: u16, data: &std::path::Path, db_url: &str) -> Vec<String> {
        vec![
            "--dev".into(),
            "--listen".into(),
            format!("127.0.0.1:{port}"),
            "--public-url".into(),
            format!("http://localhost:{port}"),
            "--data-dir".into(),
            data.display().to_string(),
            "--database-url".into(),
            db_url.to_string(),
            "--retry-base".into(),
            "200ms".into(),
            "--retry-max".into(),
            "1s".into(),
        ]
    }

    /// Start `coopdir serve` and wait until it answers `/readyz`.
    pub async fn serve(port: u16, data: &std::path::Path, db_url: &str) -> Proc {
        Self::serve_with(port, port, data, db_url, &[]).await
    }

    /// Start `coopdir serve` listening on `listen`, as the node whose public URL is on
    /// `public` (several processes of one node share the public URL), with extra flags.
    pub async fn serve_with(
        listen: u16,
        public: u16,
        data: &std::path::Path,
        db_url: &str,
        extra: &[&str],
    ) -> Proc {
        let port = listen;
        let mut args = Self::args(public, data, db_url);
        args[2] = format!("127.0.0.1:{listen}");
        let child = tokio::process::Command::new(bin())
            .args(args)
            .args(extra)
            .arg("serve")
            .env(
                "COOPDIR_LOG",
                std::env::var("COOPDIR_TEST_LOG").unwrap_or_else(|_| "warn".into()),
            )
            .kill_on_drop(true)
            .spawn()
            .expect("spawn coopdir serve");
        let p = Proc {
            child,
            port,
            data: data.to_path_buf(),
        };
        let url = format!("http://127.0.0.1:{port}/readyz");
        eventually(30, "coopdir serve is ready", || {
            let url = url.clone();
            async move {
                http()
                    .get(url)
                    .send()
                    .await
                    .ok()
                    .filter(|r| r.status() == 200)
                    .map(|_| ())
            }
        })
        .await;
        p
    }

    /// Run another command of the binary against the same database.
    pub async fn command(&self, db_url: &str, args: &[&str]) -> std::process::Output {
        tokio::process::Command::new(bin())
            .args(Self::args(self.port, &self.data, db_url))
            .args(args)
            .output()
            .await
            .expect("run coopdir")
    }

    /// SIGKILL: no shutdown, no flushing, as a crash or an OOM kill.
    pub async fn kill9(mut self) {
        self.child.start_kill().expect("kill");
        let _ = self.child.wait().await;
    }
}
