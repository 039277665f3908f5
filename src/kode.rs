//! Coded values: a closed set of codes, each with the text stored in the database and sent in
//! the API ([`Kode::kode`]) and a label for people. Every such type is declared with
//! [`kode_enum!`](crate::kode_enum), which also makes it a database column type: a stored text
//! that is not one of its codes is an error when read, never a default.

/// A coded field: its codes (API, exports, database) and labels (UI).
pub trait Kode: Sized + Copy + 'static {
    const SEMUA: &'static [Self];
    fn kode(self) -> &'static str;
    fn label(self) -> &'static str;
    fn parse(s: &str) -> Option<Self> {
        Self::SEMUA.iter().copied().find(|v| v.kode() == s)
    }
}

/// Declares a coded type: `kode_enum!(Nama { Varian => "kode", "Label"; … });`. The type
/// serialises as its code, and reads and writes as its code in SQLite and PostgreSQL.
#[macro_export]
macro_rules! kode_enum {
    ($(#[$doc:meta])* $nama:ident { $($var:ident => $kode:literal, $label:literal;)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $nama { $($var),* }
        impl $crate::kode::Kode for $nama {
            const SEMUA: &'static [Self] = &[$($nama::$var),*];
            fn kode(self) -> &'static str { match self { $($nama::$var => $kode),* } }
            fn label(self) -> &'static str { match self { $($nama::$var => $label),* } }
        }
        impl $nama {
            /// The OpenAPI schema of a field holding this code (or the empty string).
            pub fn skema() -> utoipa::openapi::schema::Object {
                $crate::kode::skema_kode(<Self as $crate::kode::Kode>::SEMUA.iter().map(|v| $crate::kode::Kode::kode(*v)))
            }
        }
        impl serde::Serialize for $nama {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::kode::Kode::kode(*self))
            }
        }
        impl<DB: sqlx::Database> sqlx::Type<DB> for $nama
        where
            String: sqlx::Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <String as sqlx::Type<DB>>::type_info()
            }
            fn compatible(ty: &DB::TypeInfo) -> bool {
                <String as sqlx::Type<DB>>::compatible(ty)
            }
        }
        impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for $nama
        where
            String: sqlx::Decode<'r, DB>,
        {
            fn decode(v: <DB as sqlx::Database>::ValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let s = <String as sqlx::Decode<'r, DB>>::decode(v)?;
                <$nama as $crate::kode::Kode>::parse(&s)
                    .ok_or_else(|| format!("unknown {} {:?} in the database", stringify!($nama), s).into())
            }
        }
        impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for $nama
        where
            &'q str: sqlx::Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut <DB as sqlx::Database>::ArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&'q str as sqlx::Encode<'q, DB>>::encode($crate::kode::Kode::kode(*self), buf)
            }
        }
    };
}

/// The OpenAPI schema of a text field holding one of `kode` or the empty string (an absent
/// optional value).
pub fn skema_kode(kode: impl Iterator<Item = &'static str>) -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(kode.chain([""])))
        .build()
}
