namespace KrJwt.Commands;

/// <summary>
/// Add-KrJWTClaim: appends a claim. Values are strings as in the reference (several values of
/// one type become a JSON array, whether given in one call, -Value 'g1','g2', or in several; one
/// value stays a string); -JsonValue is the explicit way to add a typed JSON value (number,
/// boolean, array, object). -UserClaimType works for every member, Actor included.
/// </summary>
[Cmdlet(VerbsCommon.Add, "KrJWTClaim", DefaultParameterSetName = ClaimTypeSet)]
[OutputType(typeof(JwtTokenBuilder))]
public sealed class AddKrJwtClaimCommand : BuilderMutationCmdlet
{
    private const string ClaimTypeSet = "ClaimType";
    private const string UserClaimTypeSet = "UserClaimType";
    private const string JsonValueSet = "JsonValue";

    [Parameter(Mandatory = true, ParameterSetName = ClaimTypeSet)]
    [Parameter(Mandatory = true, ParameterSetName = JsonValueSet)]
    [ArgumentCompleter(typeof(KrClaimTypeCompleter))]
    public string ClaimType { get; set; } = null!;

    /// <summary>
    /// A <see cref="UserIdentityClaim"/> member (name, enum value or number); completion says which
    /// claim each writes (EmailAddress writes email, Email a claim-type URI).
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = UserClaimTypeSet)]
    [UserIdentityClaimArgument]
    [ArgumentCompleter(typeof(KrUserClaimTypeCompleter))]
    public string UserClaimType { get; set; } = null!;

    /// <summary>The value, or several values (written as a JSON array of strings).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ClaimTypeSet)]
    [Parameter(Mandatory = true, ParameterSetName = UserClaimTypeSet)]
    public string[] Value { get; set; } = null!;

    /// <summary>The claim value as JSON text, kept with its JSON type (e.g. '42', 'true', '["a","b"]').</summary>
    [Parameter(Mandatory = true, ParameterSetName = JsonValueSet)]
    public string JsonValue { get; set; } = null!;

    private protected override void Apply(KrBuilderHandle builder)
    {
        if (ParameterSetName == JsonValueSet)
        {
            AddJson(builder);
            return;
        }

        // The library groups the values of one claim type into an array, in order.
        foreach (string value in Value)
        {
            KrNative.Check(ParameterSetName == UserClaimTypeSet
                // The library maps the member name to its claim URI (and the URI to its short name).
                ? NativeMethods.kr_builder_add_user_claim(builder, UserClaimType, value)
                : NativeMethods.kr_builder_add_claim(builder, ClaimType, value));
        }
    }

    /// <summary>Adds the -JsonValue claim; JSON the library cannot read is explained in this cmdlet's terms.</summary>
    private void AddJson(KrBuilderHandle builder)
    {
        KrStatus status = NativeMethods.kr_builder_add_claim_json(builder, ClaimType, JsonValue);
        if (status != KrStatus.InvalidJson)
        {
            KrNative.Check(status);
            return;
        }

        string detail = KrNative.Failure(status).Message;
        const string Marker = "not valid JSON: ";
        int at = detail.IndexOf(Marker, System.StringComparison.Ordinal);
        detail = (at >= 0 ? detail.Substring(at + Marker.Length) : detail).TrimEnd('.');
        throw new KrJwtException(
            KrStatus.InvalidJson,
            $"-JsonValue for the claim '{ClaimType}' is not valid JSON ({detail}). A text value must be a JSON string: " +
            "quote it inside the PowerShell string (-JsonValue '\"text\"'), or add it with -Value 'text'; " +
            "numbers, true/false, arrays and objects are written as they are (-JsonValue '42', '[\"a\",\"b\"]').");
    }
}
