//! Claim types: the reference's `UserIdentityClaim` members, their URIs, and the outbound map that
//! shortens well-known URIs to JWT claim names (as Microsoft.IdentityModel does when it writes a token).
//! This table is the one source of the members: hosts read it through the C ABI
//! (`kr_library_describe`), and tests/abi_contract.rs checks the module's enum against it.

use crate::error::{Error, Result};

const A: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/";
const B: &str = "http://schemas.microsoft.com/ws/2008/06/identity/claims/";
const C: &str = "http://schemas.xmlsoap.org/ws/2009/09/identity/claims/";

/// `UserIdentityClaim` members in enum order, with namespace and local name of their URI.
const USER_CLAIMS: [(&str, &str, &str); 57] = [
    ("Actor", C, "actor"),
    ("Anonymous", A, "anonymous"),
    ("Authentication", A, "authentication"),
    ("AuthenticationInstant", B, "authenticationinstant"),
    ("AuthenticationMethod", B, "authenticationmethod"),
    ("AuthorizationDecision", A, "authorizationdecision"),
    ("Country", A, "country"),
    ("DateOfBirth", A, "dateofbirth"),
    ("Dns", A, "dns"),
    ("DenyOnlyPrimaryGroupSid", B, "denyonlyprimarygroupsid"),
    ("DenyOnlyPrimarySid", B, "denyonlyprimarysid"),
    ("DenyOnlySid", A, "denyonlysid"),
    ("DenyOnlyWindowsDeviceGroup", B, "denyonlywindowsdevicegroup"),
    ("Email", B, "email"),
    ("EmailAddress", A, "emailaddress"),
    ("Expiration", B, "expiration"),
    ("GivenName", A, "givenname"),
    ("Gender", A, "gender"),
    ("GroupSid", B, "groupsid"),
    ("Hash", A, "hash"),
    ("HomePhone", A, "homephone"),
    ("IsPersistent", B, "ispersistent"),
    ("Issuer", A, "issuer"),
    ("Locality", A, "locality"),
    ("MobilePhone", A, "mobilephone"),
    ("Name", A, "name"),
    ("NameIdentifier", A, "nameidentifier"),
    ("OtherPhone", A, "otherphone"),
    ("PostalCode", A, "postalcode"),
    ("PrimaryGroupSid", B, "primarygroupsid"),
    ("Ppid", A, "ppid"),
    ("PrivatePpid", A, "privateppid"),
    ("Role", B, "role"),
    ("Rsa", A, "rsa"),
    ("SerialNumber", B, "serialnumber"),
    ("Sid", A, "sid"),
    ("StateOrProvince", A, "stateorprovince"),
    ("Spn", A, "spn"),
    ("StreetAddress", A, "streetaddress"),
    ("Surname", A, "surname"),
    ("Thumbprint", A, "thumbprint"),
    ("UserData", B, "userdata"),
    ("Upn", A, "upn"),
    ("Uri", A, "uri"),
    ("Version", B, "version"),
    ("Webpage", A, "webpage"),
    ("System", A, "system"),
    ("WindowsAccountName", B, "windowsaccountname"),
    ("WindowsDevice", A, "windowsdevice"),
    ("WindowsDeviceGroup", A, "windowsdevicegroup"),
    ("WindowsFqbnVersion", A, "windowsfqbnversion"),
    ("WindowsGroupSid", A, "windowsgroupsid"),
    ("WindowsGroup", A, "windowsgroup"),
    ("WindowsDeviceClaim", A, "windowsdeviceClaim"),
    ("WindowsSubAuthority", A, "windowssubauthority"),
    ("WindowsSid", A, "windowsid"),
    ("PrimarySid", B, "primarysid"),
];

/// Outbound map: full claim-type URI → the short name written into the JWT.
const OUTBOUND: [(&str, &str); 32] = [
    ("http://schemas.xmlsoap.org/ws/2009/09/identity/claims/actor", "actort"),
    ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/dateofbirth", "birthdate"),
    ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "email"),
    ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname", "family_name"),
    ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/gender", "gender"),
    ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname", "given_name"),
    ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier", "nameid"),
    ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/webpage", "website"),
    ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name", "unique_name"),
    ("http://schemas.microsoft.com/ws/2008/06/identity/claims/authenticationmethod", "authmethod"),
    ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/rsa", "certpublickey"),
    ("http://schemas.microsoft.com/ws/2008/06/identity/claims/serialnumber", "certserialnumber"),
    ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/thumbprint", "certthumbprint"),
    ("http://schemas.microsoft.com/ws/2008/06/identity/claims/denyonlyprimarygroupsid", "denyonlyprimarygroupsid"),
    ("http://schemas.microsoft.com/ws/2008/06/identity/claims/denyonlyprimarysid", "denyonlyprimarysid"),
    ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/denyonlysid", "denyonlysid"),
    ("http://schemas.microsoft.com/ws/2008/06/identity/claims/groupsid", "groupsid"),
    ("http://schemas.microsoft.com/ws/2008/06/identity/claims/primarygroupsid", "primarygroupsid"),
    ("http://schemas.microsoft.com/ws/2008/06/identity/claims/primarysid", "primarysid"),
    ("http://schemas.microsoft.com/ws/2008/06/identity/claims/role", "role"),
    ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn", "upn"),
    ("http://schemas.microsoft.com/ws/2008/06/identity/claims/windowsaccountname", "winaccountname"),
    ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/privatepersonalidentifier", "ppid"),
    ("http://schemas.microsoft.com/identity/claims/objectidentifier", "oid"),
    ("http://schemas.microsoft.com/identity/claims/scope", "scp"),
    ("http://schemas.microsoft.com/identity/claims/tenantid", "tid"),
    ("http://schemas.microsoft.com/claims/authnclassreference", "acr"),
    ("http://schemas.microsoft.com/claims/authnmethodsreferences", "amr"),
    ("http://schemas.xmlsoap.org/claims/EmailAddress", "adfs1email"),
    ("http://schemas.xmlsoap.org/claims/UPN", "adfs1upn"),
    ("http://schemas.xmlsoap.org/claims/Group", "group"),
    ("http://schemas.xmlsoap.org/claims/CommonName", "commonname"),
];

/// A `UserIdentityClaim` member: its name, its claim-type URI, and the claim a token gets for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserClaimType {
    pub member: &'static str,
    pub claim_type: String,
    pub written_as: String,
}

/// Every `UserIdentityClaim` member, in enum order.
pub fn user_claim_types() -> impl Iterator<Item = UserClaimType> {
    USER_CLAIMS.iter().map(|(member, ns, local)| {
        let claim_type = format!("{ns}{local}");
        let written_as = outbound_name(&claim_type).to_string();
        UserClaimType { member, claim_type, written_as }
    })
}

/// The claim name written into a token for a claim type (URIs in the outbound map are shortened).
pub fn outbound_name(claim_type: &str) -> &str {
    OUTBOUND.iter().find(|(uri, _)| *uri == claim_type).map(|(_, short)| *short).unwrap_or(claim_type)
}

/// The URI of a `UserIdentityClaim` member, by name (case-insensitive).
pub fn user_claim_uri(member: &str) -> Result<String> {
    USER_CLAIMS.iter().find(|(name, _, _)| name.eq_ignore_ascii_case(member.trim())).map(|(_, ns, local)| format!("{ns}{local}")).ok_or_else(|| {
        Error::argument(format!(
            "Unknown UserIdentityClaim '{member}'. Known members include Name, Role, Email, EmailAddress, \
                 NameIdentifier, GivenName, Surname, Upn and Actor."
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_claims_resolve_and_shorten_like_the_reference() {
        let short = |m: &str| outbound_name(&user_claim_uri(m).unwrap()).to_string();
        assert_eq!(short("Name"), "unique_name");
        assert_eq!(short("role"), "role");
        assert_eq!(short("Actor"), "actort");
        assert_eq!(short("EmailAddress"), "email");
        assert_eq!(short("NameIdentifier"), "nameid");
        assert_eq!(short("Email"), format!("{B}email"));
        assert_eq!(short("WindowsSid"), format!("{A}windowsid"));
        assert!(user_claim_uri("Nope").is_err());
    }

    #[test]
    fn the_table_lists_every_member_in_enum_order() {
        let all: Vec<UserClaimType> = user_claim_types().collect();
        assert_eq!(all.len(), 57);
        assert_eq!((all[0].member, all[0].written_as.as_str()), ("Actor", "actort"));
        assert_eq!(all[13].claim_type, format!("{B}email"));
        assert_eq!(all[13].written_as, all[13].claim_type, "a URI without a short name is written whole");
        assert_eq!(all[56].member, "PrimarySid");
    }

    #[test]
    fn unknown_types_pass_through() {
        assert_eq!(outbound_name("can_read"), "can_read");
    }
}
