//! The column type of every closed set of values (a status, category, level, …): stored as
//! the text the domain spells (`ClosedSet::as_str`), read back as the domain's enum. A row
//! whose text is not one of the set's values fails to load instead of travelling on as a
//! string: no status `String` leaves the entity row.

use std::ops::Deref;

use sea_orm::sea_query::{ArrayType, ColumnType, Nullable, StringLen, ValueType, ValueTypeErr};
use sea_orm::{ColIdx, DbErr, QueryResult, TryGetError, TryGetable, Value};
use zhihui_domain::ClosedSet;

/// A domain enum in a text column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Closed<T>(pub T);

impl<T> Deref for Closed<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> From<T> for Closed<T> {
    fn from(v: T) -> Self {
        Closed(v)
    }
}

impl<T: PartialEq> PartialEq<T> for Closed<T> {
    fn eq(&self, other: &T) -> bool {
        self.0 == *other
    }
}

impl<T: ClosedSet> std::fmt::Display for Closed<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.as_str())
    }
}

impl<T: ClosedSet> From<Closed<T>> for Value {
    fn from(v: Closed<T>) -> Value {
        v.0.as_str().into()
    }
}

fn parse<T: ClosedSet>(s: &str) -> Option<Closed<T>> {
    T::parse(s).map(Closed)
}

impl<T: ClosedSet> TryGetable for Closed<T> {
    fn try_get_by<I: ColIdx>(res: &QueryResult, idx: I) -> Result<Self, TryGetError> {
        let text = String::try_get_by(res, idx)?;
        parse(&text).ok_or_else(|| {
            TryGetError::DbErr(DbErr::Type(format!(
                "`{text}` is not a value of {}",
                std::any::type_name::<T>()
            )))
        })
    }
}

impl<T: ClosedSet> ValueType for Closed<T> {
    fn try_from(v: Value) -> Result<Self, ValueTypeErr> {
        let text = <String as ValueType>::try_from(v)?;
        parse(&text).ok_or(ValueTypeErr)
    }

    fn type_name() -> String {
        std::any::type_name::<T>().to_string()
    }

    fn array_type() -> ArrayType {
        ArrayType::String
    }

    fn column_type() -> ColumnType {
        ColumnType::String(StringLen::None)
    }
}

impl<T: ClosedSet> Nullable for Closed<T> {
    fn null() -> Value {
        Value::String(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zhihui_domain::{ActivityStatus, OrganizationCategory};

    #[test]
    fn stored_as_the_domain_spells_it_and_read_back() {
        for s in ActivityStatus::ALL {
            let v: Value = Closed(*s).into();
            assert_eq!(v, Value::from(s.as_str()));
            assert_eq!(
                <Closed<ActivityStatus> as ValueType>::try_from(v).ok(),
                Some(Closed(*s))
            );
        }
        assert!(
            <Closed<OrganizationCategory> as ValueType>::try_from(Value::from("publised")).is_err()
        );
    }
}
