//! Typed values of the directory. Each parses from the text found in listing documents,
//! API queries and remote actors, so that code past the parser never holds a raw string
//! where a currency, a country or a language is meant.

use crate::i18n::Msg;
use oxilangtag::LanguageTag;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::{fmt, str::FromStr};

/// The states and kinds stored in the database, defined next to the entities.
pub use crate::db::states::{ActorKind, AnnouncementKind, DeliveryState, Moderation, Status};

/// Defines a closed vocabulary: kebab-case on the wire, a label for people, and an error
/// that lists the accepted values (the same impls as the stored states).
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident = $wire:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        crate::db::states::vocabulary_impls!($name, $what { $($variant = $wire, $label;)+ });
    };
}

vocabulary!(
    /// The software an offering runs. `other` covers platforms not listed yet.
    Platform, "platform" {
        BigBlueButton = "bigbluebutton", "BigBlueButton";
        Jitsi = "jitsi", "Jitsi Meet";
        Galene = "galene", "Galène";
        NextcloudTalk = "nextcloud-talk", "Nextcloud Talk";
        Matrix = "matrix", "Matrix / Element Call";
        OpenTalk = "opentalk", "OpenTalk";
        Other = "other", "Other";
    }
);

vocabulary!(
    /// Features a member compares offerings on.
    Feature, "feature" {
        Recording = "recording", "recording";
        BreakoutRooms = "breakout-rooms", "breakout rooms";
        SharedNotes = "shared-notes", "shared notes";
        Whiteboard = "whiteboard", "whiteboard";
        Polls = "polls", "polls";
        DialIn = "dial-in", "dial-in by phone";
        Streaming = "streaming", "live streaming";
        E2ee = "e2ee", "end-to-end encryption";
        Captions = "captions", "captions";
        Lti = "lti", "LTI / Moodle";
        Nextcloud = "nextcloud", "Nextcloud integration";
        ScreenSharing = "screen-sharing", "screen sharing";
        Chat = "chat", "chat";
    }
);

vocabulary!(
    /// How an offering is paid for. `not-stated`: the source of an imported listing says
    /// nothing about the price; no price filter matches it.
    PriceModel, "price model" {
        Free = "free", "free";
        PayWhatYouCan = "pay-what-you-can", "pay what you can";
        Membership = "membership", "membership";
        Subscription = "subscription", "subscription";
        NotStated = "not-stated", "not stated";
    }
);

vocabulary!(
    /// The period a price is charged for.
    PricePeriod, "price period" {
        Month = "month", "month";
        Year = "year", "year";
        Once = "once", "one-off";
        Event = "event", "event";
    }
);

vocabulary!(
    /// Who may sign up. `not-stated`: the source of an imported listing does not say; no
    /// registration filter matches it.
    Registration, "registration" {
        Open = "open", "open";
        MembersOnly = "members-only", "members only";
        Waitlist = "waitlist", "waitlist";
        Closed = "closed", "closed";
        NotStated = "not-stated", "not stated";
    }
);

vocabulary!(
    /// The form of the co-operative.
    CoopForm, "co-op form" {
        Worker = "worker", "worker co-op";
        Consumer = "consumer", "consumer co-op";
        MultiStakeholder = "multi-stakeholder", "multi-stakeholder co-op";
        FederationMember = "federation-member", "member of a co-op federation";
        Platform = "platform", "platform co-op";
        Other = "other", "other co-operative form";
    }
);

/// Defines a string newtype that parses with a check and serializes as the string.
macro_rules! checked_string {
    ($(#[$meta:meta])* $name:ident, $check:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str { &self.0 }
        }

        impl FromStr for $name {
            type Err = Msg;
            fn from_str(s: &str) -> Result<Self, Msg> {
                let check: fn(&str) -> Result<String, Msg> = $check;
                check(s.trim()).map($name)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(&self.0) }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> { s.serialize_str(&self.0) }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

checked_string!(
    /// An ISO 4217 currency code such as `EUR`.
    Currency,
    |s| {
        if s.len() == 3 && s.chars().all(|c| c.is_ascii_alphabetic()) {
            Ok(s.to_ascii_uppercase())
        } else {
            Err(crate::msg!("error-currency", value = s))
        }
    }
);

checked_string!(
    /// An ISO 3166-1 alpha-2 country code such as `DE`.
    Country,
    |s| {
        if s.len() == 2 && s.chars().all(|c| c.is_ascii_alphabetic()) {
            Ok(s.to_ascii_uppercase())
        } else {
            Err(crate::msg!("error-country", value = s))
        }
    }
);

checked_string!(
    /// A BCP 47 language tag such as `de` or `pt-BR`, checked with oxilangtag.
    Language,
    |s| {
        LanguageTag::parse(s.to_string())
            .map(|t| t.into_inner())
            .map_err(|e| crate::msg!("error-language", value = s, reason = e.to_string()))
    }
);

checked_string!(
    /// The local part of a handle: lower-case letters, digits and `_`, 1 to 30 characters,
    /// as Mastodon accepts for usernames.
    Username,
    |s| {
        let ok = !s.is_empty()
            && s.len() <= 30
            && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if ok {
            Ok(s.to_string())
        } else {
            Err(crate::msg!("error-handle", value = s))
        }
    }
);

checked_string!(
    /// A display name: 1 to 100 characters, no control characters. Names are text, never
    /// HTML.
    Name,
    |s| {
        let n = s.chars().count();
        if n == 0 || n > 100 || s.chars().any(char::is_control) {
            Err(crate::msg!("error-name-length", count = n))
        } else {
            Ok(s.to_string())
        }
    }
);

checked_string!(
    /// A plain-text description of at most 5,000 characters; blank lines separate paragraphs.
    Summary,
    |s| {
        let n = s.chars().count();
        if n > 5000 {
            Err(crate::msg!("error-summary-length", count = n))
        } else {
            Ok(s.to_string())
        }
    }
);

impl Default for Summary {
    /// No description: the empty text, which every check accepts.
    fn default() -> Self {
        Summary(String::new())
    }
}

checked_string!(
    /// A price amount as a decimal with at most two decimals, e.g. `9.50`. Kept as text so
    /// that no rounding ever changes a published price.
    Amount,
    |s| {
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        let ok = !int.is_empty()
            && int.len() <= 9
            && int.chars().all(|c| c.is_ascii_digit())
            && frac.len() <= 2
            && frac.chars().all(|c| c.is_ascii_digit());
        if ok {
            Ok(s.to_string())
        } else {
            Err(crate::msg!("error-amount", value = s))
        }
    }
);

impl Amount {
    /// The amount in hundredths, for comparing prices.
    pub fn cents(&self) -> u64 {
        let (int, frac) = self.0.split_once('.').unwrap_or((&self.0, ""));
        let frac = format!("{frac:0<2}");
        int.parse::<u64>().unwrap_or(0) * 100 + frac.parse::<u64>().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_parse_leniently_and_explain_failures() {
        assert_eq!(
            "Breakout Rooms".parse::<Feature>().unwrap(),
            Feature::BreakoutRooms
        );
        assert_eq!(
            "pay_what_you_can".parse::<PriceModel>().unwrap(),
            PriceModel::PayWhatYouCan
        );
        let err = "zoom".parse::<Platform>().unwrap_err();
        assert!(err.contains("bigbluebutton"), "{err}");
    }

    #[test]
    fn codes_are_checked() {
        assert_eq!("eur".parse::<Currency>().unwrap().as_str(), "EUR");
        assert!("EURO".parse::<Currency>().is_err());
        assert_eq!("de".parse::<Country>().unwrap().as_str(), "DE");
        assert!("pt-BR".parse::<Language>().is_ok());
        assert!("not a tag!".parse::<Language>().is_err());
        assert!("Meet".parse::<Username>().is_err());
        assert_eq!("9.5".parse::<Amount>().unwrap().cents(), 950);
        assert!("9,50".parse::<Amount>().is_err());
    }
}
