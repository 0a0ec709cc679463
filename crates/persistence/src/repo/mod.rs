pub mod accounts;
pub mod activities;
pub mod api_clients;
pub mod applications;
pub mod campaigns;
pub mod figures;
pub mod hub;
pub mod idempotency;
pub mod imports;
pub(crate) mod kept;
pub mod needs;
pub mod notifications;
pub mod organizations;
pub mod pairing;
pub mod records;
pub mod regions;
pub mod reports;
pub mod volunteer_totals;
pub mod volunteers;
pub mod webhooks;
pub mod work;

/// Inserts rows in multi-row statements of at most `30_000 / columns` rows (the columns of
/// the rows' table), under the bind-parameter limits of both databases (imports, the outbox
/// fan-out, the seed).
pub(crate) async fn insert_in_chunks<A>(
    c: &impl sea_orm::ConnectionTrait,
    mut rows: Vec<A>,
) -> crate::StoreResult<()>
where
    A: sea_orm::ActiveModelTrait + Send,
    <A::Entity as sea_orm::EntityTrait>::Model: sea_orm::IntoActiveModel<A>,
{
    // Every row binds one value per column of its table.
    let columns =
        <<A::Entity as sea_orm::EntityTrait>::Column as sea_orm::Iterable>::iter().count();
    while !rows.is_empty() {
        let rest = rows.split_off(rows.len().min((30_000 / columns.max(1)).max(1)));
        <A::Entity as sea_orm::EntityTrait>::insert_many(rows)
            .exec_without_returning(c)
            .await?;
        rows = rest;
    }
    Ok(())
}

/// Region codes starting with `prefix`, as a range (`>= prefix` and `< prefix + "~"`)
/// rather than `LIKE 'prefix%'`: PostgreSQL only turns a `LIKE` into an index range
/// under the `C` collation, and the range reads `ix_activities_region_start`,
/// and `ix_organizations_region` under any collation (codes are
/// digits, which sort before `~`).
pub(crate) fn region_prefix<C: sea_orm::ColumnTrait>(col: C, prefix: &str) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(col.gte(prefix))
        .add(col.lt(format!("{prefix}~")))
}

/// `col` holds `text` as it is typed: LIKE's wildcards (`%`, `_`) and the escape character
/// in it stand for themselves, so a search for `%` finds what holds a `%`, not everything.
pub(crate) fn contains_text<C: sea_orm::ColumnTrait>(
    col: C,
    text: &str,
) -> sea_orm::sea_query::SimpleExpr {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    col.like(sea_orm::sea_query::LikeExpr::new(pattern).escape('\\'))
}

/// Numbered parameters (`$n` for PostgreSQL, `?n` for SQLite), so that the text may use
/// them in any order.
pub(crate) struct Binder {
    backend: sea_orm::DbBackend,
    values: Vec<sea_orm::Value>,
}

impl Binder {
    pub(crate) fn new(backend: sea_orm::DbBackend) -> Self {
        Self {
            backend,
            values: vec![],
        }
    }

    /// A placeholder for `v`.
    pub(crate) fn bind(&mut self, v: impl Into<sea_orm::Value>) -> String {
        self.values.push(v.into());
        match self.backend {
            sea_orm::DbBackend::Postgres => format!("${}", self.values.len()),
            _ => format!("?{}", self.values.len()),
        }
    }

    /// Placeholders for a list, for `IN (…)`; `NULL` for an empty one (matches nothing).
    pub(crate) fn list<T: Clone + Into<sea_orm::Value>>(&mut self, items: &[T]) -> String {
        if items.is_empty() {
            return "NULL".into();
        }
        items
            .iter()
            .map(|m| self.bind(m.clone()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub(crate) fn statement(self, sql: String) -> sea_orm::Statement {
        sea_orm::Statement::from_sql_and_values(self.backend, sql, self.values)
    }
}

/// Who acts, as a history (letters, applications, reports) records them: the account and
/// its display name at the time.
#[derive(Debug, Clone)]
pub struct Actor {
    pub account_id: uuid::Uuid,
    pub name: String,
}
