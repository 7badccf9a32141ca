//! The closed sets of words stored in state and kind columns, as sea-orm active enums.
//! Each is stored as the same text as before (`rs_type = "String"`), so no stored row
//! changes; migration `m20261207_000015_state_checks` makes the database refuse any other
//! value. `directory::types` re-exports them under the same names, with the same
//! `Display`, `FromStr` and serde words (templates, the JSON API and the CLI print them).

use sea_orm::entity::prelude::*;

/// The impls shared by every closed vocabulary (here and in `directory::types`): the
/// word in the database and on the wire, a label for people, and an error that lists the
/// accepted values.
macro_rules! vocabulary_impls {
    ($name:ident, $what:literal { $($variant:ident = $wire:literal, $label:literal;)+ }) => {
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The words, as stored and sent.
            pub const WORDS: &'static [&'static str] = &[$($wire),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::i18n::Msg;
            fn from_str(s: &str) -> Result<Self, $crate::i18n::Msg> {
                let norm = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
                match norm.as_str() {
                    $($wire => Ok($name::$variant),)+
                    _ => Err($crate::msg!(
                        "error-unknown-value",
                        kind = $what.replace(' ', "-"),
                        value = s,
                        expected = [$($wire),+].join(", "),
                    )),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as ::serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(::serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use vocabulary_impls;

/// Defines a closed vocabulary stored in a text column, as a sea-orm active enum.
macro_rules! state {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident = $wire:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, EnumIter, DeriveActiveEnum)]
        #[sea_orm(rs_type = "String", db_type = "Text")]
        pub enum $name { $(#[sea_orm(string_value = $wire)] $variant),+ }

        vocabulary_impls!($name, $what { $($variant = $wire, $label;)+ });
    };
}

state!(
    /// Lifecycle of an offering: active, then sunsetting with an end date and closed, or
    /// transferred to a successor. Column `actor.status`.
    Status, "status" {
        Active = "active", "active";
        Sunsetting = "sunsetting", "sunsetting";
        Closed = "closed", "closed";
        Transferred = "transferred", "transferred";
    }
);

state!(
    /// What an announcement is about. Column `announcement.kind`.
    AnnouncementKind, "announcement kind" {
        News = "news", "news";
        Maintenance = "maintenance", "maintenance";
        Price = "price", "price change";
        Capacity = "capacity", "capacity change";
        Sunset = "sunset", "sunset";
        Transfer = "transfer", "transfer";
    }
);

state!(
    /// Moderation state of a listing on this node. Column `actor.moderation`.
    Moderation, "moderation state" {
        Pending = "pending", "pending approval";
        Approved = "approved", "approved";
        Hidden = "hidden", "hidden";
        Suspended = "suspended", "suspended";
        Removed = "removed", "removed by its co-op";
    }
);

state!(
    /// The kinds of actor this node stores. Column `actor.kind`.
    ActorKind, "actor kind" {
        Instance = "instance", "instance actor";
        Coop = "coop", "co-op";
        Offering = "offering", "offering";
        Group = "group", "category group";
        Person = "person", "person";
        Remote = "remote", "remote actor";
    }
);

state!(
    /// Where one delivery of the durable queue stands. Column `delivery.state`: `pending`
    /// until sent or given up; `rejected` when policy refused it or the inbox answered
    /// with a permanent error; `failed` when the retries ran out.
    DeliveryState, "delivery state" {
        Pending = "pending", "pending";
        Delivered = "delivered", "delivered";
        Rejected = "rejected", "rejected";
        Failed = "failed", "failed";
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_words_are_the_display_words() {
        for k in ActorKind::ALL {
            assert_eq!(k.to_value(), k.to_string());
            assert_eq!(ActorKind::try_from_value(&k.to_string()).ok(), Some(*k));
        }
        for m in Moderation::ALL {
            assert_eq!(m.to_value(), m.as_str());
        }
        assert_eq!(
            Status::WORDS,
            ["active", "sunsetting", "closed", "transferred"]
        );
        assert!(DeliveryState::try_from_value(&"lost".to_string()).is_err());
        assert_eq!("Suspended".parse::<Moderation>(), Ok(Moderation::Suspended));
    }

    #[test]
    fn the_database_checks_the_same_words() {
        let words = |table: &str, column: &str| {
            migration::STATE_CHECKS
                .iter()
                .find(|(t, c, _)| *t == table && *c == column)
                .map(|(_, _, w)| w.to_vec())
                .unwrap_or_default()
        };
        assert_eq!(words("actor", "kind"), ActorKind::WORDS);
        assert_eq!(words("actor", "status"), Status::WORDS);
        assert_eq!(words("actor", "moderation"), Moderation::WORDS);
        assert_eq!(words("delivery", "state"), DeliveryState::WORDS);
        assert_eq!(words("announcement", "kind"), AnnouncementKind::WORDS);
        assert_eq!(migration::STATE_CHECKS.len(), 5);
    }
}
