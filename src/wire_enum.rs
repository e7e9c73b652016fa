//! The `wire_enum!` declaration macro: an enum that knows its own variant names.

/// Declares an enum exactly as written and records the names of its variants.
///
/// A compat suite must notice a variant that was added without a sample or a golden.
/// Rust cannot list an enum's variants at run time, so this macro emits, next to the
/// unchanged enum, `VARIANTS` (every variant name, in declaration order) and
/// `variant_name()` (an exhaustive `match`). The suite compares `VARIANTS` with the
/// variants its samples cover; adding a variant therefore fails the suite until a
/// sample and its golden exist. Attributes (`#[derive]`, `#[error]`, `#[non_exhaustive]`,
/// docs, `#[source]`) and explicit discriminants (`Name = -1`) pass through untouched.
#[macro_export]
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident
                $( ( $( $(#[$tmeta:meta])* $tty:ty ),* $(,)? ) )?
                $( { $( $(#[$smeta:meta])* $sfield:ident : $sty:ty ),* $(,)? } )?
                $( = $disc:expr )?
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $(
                $(#[$vmeta])*
                $variant
                $( ( $( $(#[$tmeta])* $tty ),* ) )?
                $( { $( $(#[$smeta])* $sfield : $sty ),* } )?
                $( = $disc )?
            ),*
        }

        impl $name {
            /// Every variant's name, in declaration order; the compat suite checks that
            /// each one has a sample, so a new variant cannot ship without a golden.
            pub const VARIANTS: &'static [&'static str] = &[$(stringify!($variant)),*];

            /// The name of this value's variant (an exhaustive match, so it can never
            /// disagree with [`Self::VARIANTS`]); the compat suite names cases after it.
            pub fn variant_name(&self) -> &'static str {
                match self {
                    $( Self::$variant { .. } => stringify!($variant), )*
                }
            }
        }
    };
}
