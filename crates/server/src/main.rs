//! `zhihui`: serve, migrate, openapi, seed, admin, figures.

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
    /// Print the catalogue of problem codes as Markdown (`docs/errors.md`).
    Errors,
    /// Load a generated data set into an empty database: `small` (CI), `province` (one
    /// province's whole tree) or `national` (5.2 million volunteers). Every generated account's
    /// password is `zhihui-seed-2026`.
    Seed {
        #[arg(long, default_value = "small")]
        scale: String,
        /// Makes the data set reproducible.
        #[arg(long, default_value_t = 2026)]
        rng_seed: u64,
    },
    /// Administer accounts.
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
    /// The figures the service keeps beside the records: each organisation's monthly
    /// figures (activities, attendances, hours, new volunteers) for the roll-ups, and each
    /// volunteer's totals (hours, activities; all time and per year) for the summaries.
    Figures {
        #[command(subcommand)]
        action: FiguresAction,
    },
}

#[derive(Subcommand)]
enum FiguresAction {
    /// Compare the kept figures and totals with the records; fails when they differ.
    Check,
    /// Recompute the kept figures and totals from the records (after a manual repair of
    /// the records).
    Rebuild,
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
    if let Command::Errors = cli.command {
        print!("{}", zhihui_http::error::catalogue_markdown());
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
        Command::Seed { scale, rng_seed } => {
            let Some(scale) = zhihui_persistence::seed::SeedScale::named(&scale) else {
                anyhow::bail!("--scale is small, province or national");
            };
            let store = open_store(&settings).await?;
            let hash = zhihui_http::auth::hash_password_sync(
                &settings.api_settings()?,
                zhihui_persistence::seed::SEED_PASSWORD,
            )?;
            let started = std::time::Instant::now();
            let report = store
                .seed(&scale, &hash, chrono::Utc::now(), rng_seed, &|line| {
                    println!("{line}")
                })
                .await?;
            println!(
                "seeded {}: {} organisations, {} accounts, {} volunteers, {} memberships, \
                 {} activities, {} sign-ups, {} service records, {} monthly reports, {} needs, \
                 {} service points, {} exhibitions with {} stays, {} campaigns with {} entries \
                 in {:.1} s",
                scale.name,
                report.organizations,
                report.accounts,
                report.volunteers,
                report.memberships,
                report.activities,
                report.sign_ups,
                report.records,
                report.monthly_reports,
                report.needs,
                report.service_points,
                report.exhibitions,
                report.exhibition_stays,
                report.campaigns,
                report.campaign_entries,
                started.elapsed().as_secs_f64()
            );
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
                &settings.api_settings()?,
                &login,
                &display_name,
                &password,
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("platform admin {login} ({id})");
            Ok(())
        }
        Command::Figures { action } => {
            let store = open_store(&settings).await?;
            match action {
                FiguresAction::Check => {
                    let months = store.month_figures_drift().await?;
                    let volunteers = store.volunteer_totals_drift().await?;
                    if months + volunteers > 0 {
                        anyhow::bail!(
                            "{months} (organisation, month) rows of the kept monthly figures \
                             and {volunteers} (volunteer, period) rows of the kept volunteer \
                             totals differ from the records; `zhihui figures rebuild` \
                             recomputes them"
                        );
                    }
                    println!("the kept monthly figures and volunteer totals match the records");
                }
                FiguresAction::Rebuild => {
                    let n = store.rebuild_month_figures().await?;
                    println!("{n} (organisation, month) rows recomputed from the records");
                    let n = store.rebuild_volunteer_totals().await?;
                    println!("{n} (volunteer, period) rows recomputed from the records");
                }
            }
            Ok(())
        }
        Command::Openapi | Command::Errors => Ok(()),
    }
}
