//! `zhihui`: serve, migrate, openapi, admin.

use anyhow::Context;
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;
use zhihui_server::{open_store, serve, Settings};

#[derive(Parser)]
#[command(
    name = "zhihui",
    about = "Zhihui (智惠): the science-and-technology volunteer service platform"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the service (API, docs page and dashboard on one port). Migrates first.
    Serve,
    /// Apply the database migrations and exit.
    Migrate,
    /// Print the OpenAPI document.
    Openapi,
    /// Administer accounts.
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
}

#[derive(Subcommand)]
enum AdminAction {
    /// Create a platform admin (or make an existing account one). The password is read
    /// from ZHIHUI_ADMIN_PASSWORD so it stays out of the shell history.
    Create {
        #[arg(long)]
        login: String,
        #[arg(long, default_value = "平台管理员")]
        display_name: String,
    },
}

fn init_logs(s: &Settings) {
    let filter =
        EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| EnvFilter::new(&s.log_level));
    let b = tracing_subscriber::fmt().with_env_filter(filter);
    if s.log_format == "pretty" {
        b.init();
    } else {
        b.json().flatten_event(true).with_current_span(true).init();
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Command::Openapi = cli.command {
        let doc = zhihui_http::openapi_document();
        println!(
            "{}",
            doc.to_pretty_json().context("rendering the document")?
        );
        return Ok(());
    }
    let settings = Settings::load()?;
    init_logs(&settings);
    match cli.command {
        Command::Serve => serve(settings).await,
        Command::Migrate => {
            open_store(&settings).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::Admin {
            action:
                AdminAction::Create {
                    login,
                    display_name,
                },
        } => {
            settings.check()?;
            let password =
                std::env::var("ZHIHUI_ADMIN_PASSWORD").context("set ZHIHUI_ADMIN_PASSWORD")?;
            let store = open_store(&settings).await?;
            let id = zhihui_http::auth::create_platform_admin(
                &store,
                &settings.api_settings(),
                &login,
                &display_name,
                &password,
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("platform admin {login} ({id})");
            Ok(())
        }
        Command::Openapi => Ok(()),
    }
}
