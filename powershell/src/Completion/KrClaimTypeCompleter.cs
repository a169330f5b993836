namespace KrJwt.Completion;

/// <summary>
/// The claim names <c>Add-KrJWTClaim -ClaimType</c> offers: the registered JWT claims (RFC 7519),
/// the common OpenID Connect and OAuth ones, and the short names that <c>-UserClaimType</c> members
/// are written as (unique_name, role, nameid, ...). Any other name, or a full claim-type URI, can
/// still be typed: completion only helps; the library decides how a type is written.
/// </summary>
internal static class ClaimTypeNames
{
    /// <summary>Name and what it holds (the completion tooltip).</summary>
    internal static readonly KeyValuePair<string, string>[] Common =
    {
        Pair("sub", "Subject: whom the token is about (RFC 7519)"),
        Pair("iss", "Issuer (RFC 7519; Add-KrJWTIssuer sets it)"),
        Pair("aud", "Audience (RFC 7519; Add-KrJWTAudience adds them)"),
        Pair("jti", "Token id (RFC 7519)"),
        Pair("unique_name", "User name (-UserClaimType Name)"),
        Pair("name", "Full name (OpenID Connect)"),
        Pair("given_name", "Given name (-UserClaimType GivenName)"),
        Pair("family_name", "Surname (-UserClaimType Surname)"),
        Pair("nickname", "Casual name (OpenID Connect)"),
        Pair("preferred_username", "Preferred user name (OpenID Connect)"),
        Pair("email", "E-mail address (-UserClaimType EmailAddress)"),
        Pair("email_verified", "Whether the e-mail address was verified (OpenID Connect)"),
        Pair("phone_number", "Phone number (OpenID Connect)"),
        Pair("birthdate", "Date of birth (-UserClaimType DateOfBirth)"),
        Pair("gender", "Gender (-UserClaimType Gender)"),
        Pair("locale", "Locale (OpenID Connect)"),
        Pair("zoneinfo", "Time zone (OpenID Connect)"),
        Pair("website", "Web page (-UserClaimType Webpage)"),
        Pair("role", "Role (-UserClaimType Role)"),
        Pair("roles", "Roles (Microsoft identity platform)"),
        Pair("groups", "Group ids"),
        Pair("scope", "OAuth scopes, space-separated (RFC 8693)"),
        Pair("scp", "Scopes (Microsoft identity platform)"),
        Pair("client_id", "OAuth client id (RFC 8693)"),
        Pair("azp", "Authorized party (OpenID Connect)"),
        Pair("nameid", "Name identifier (-UserClaimType NameIdentifier)"),
        Pair("upn", "User principal name (-UserClaimType Upn)"),
        Pair("oid", "Object id (Microsoft identity platform)"),
        Pair("tid", "Tenant id (Microsoft identity platform)"),
        Pair("acr", "Authentication context class reference"),
        Pair("amr", "Authentication methods references"),
        Pair("auth_time", "Time of authentication (OpenID Connect)"),
        Pair("nonce", "Nonce (OpenID Connect)"),
        Pair("sid", "Session id (OpenID Connect)"),
        Pair("actort", "Actor (-UserClaimType Actor)"),
        Pair("authmethod", "Authentication method (-UserClaimType AuthenticationMethod)"),
        Pair("groupsid", "Group SID (-UserClaimType GroupSid)"),
        Pair("primarysid", "Primary SID (-UserClaimType PrimarySid)"),
        Pair("primarygroupsid", "Primary group SID (-UserClaimType PrimaryGroupSid)"),
        Pair("winaccountname", "Windows account name (-UserClaimType WindowsAccountName)"),
    };

    private static KeyValuePair<string, string> Pair(string name, string description) =>
        new KeyValuePair<string, string>(name, description);
}

/// <summary>
/// Argument completion for claim-type parameters (<c>Add-KrJWTClaim -ClaimType</c>): common JWT
/// claim names by case-insensitive prefix, with what each holds as the tooltip.
/// </summary>
public sealed class KrClaimTypeCompleter : KrNameCompleter
{
    protected override IEnumerable<KeyValuePair<string, string>> Offers(string parameterName, IDictionary? fakeBoundParameters) =>
        ClaimTypeNames.Common;
}
