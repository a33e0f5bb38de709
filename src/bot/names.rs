//! A member's name as the bot stores and shows it. The places that learn a member's name (a
//! message, a command, a form, a reaction) go through [`member_name`], so that it is one rule.
//! Where Discord sends a bare user without their server profile (a member named in a command
//! option, `/history member:`), there is no nickname to prefer and the global name is used.

use serenity::all::User;

/// A member's name in a server: their server nickname, else their global display name, else
/// their username — the order Discord's own client shows them in.
pub fn member_name(user: &User, nick: Option<&str>) -> String {
    nick.filter(|n| !n.trim().is_empty())
        .map_or_else(|| user.display_name().to_owned(), str::to_owned)
}

#[cfg(test)]
mod tests {
    use serenity::all::UserId;

    use super::*;

    fn user(name: &str, global: Option<&str>) -> User {
        let mut user = User::default();
        user.id = UserId::new(7);
        user.name = name.into();
        user.global_name = global.map(Into::into);
        user
    }

    #[test]
    fn the_nickname_wins_then_the_global_name_then_the_username() {
        let both = user("ada_l", Some("Ada"));
        assert_eq!(member_name(&both, Some("Countess")), "Countess");
        assert_eq!(member_name(&both, None), "Ada");
        assert_eq!(member_name(&both, Some("  ")), "Ada");
        assert_eq!(member_name(&user("ada_l", None), None), "ada_l");
    }
}
