namespace KrJwt.Commands;

/// <summary>
/// Update-KrJWT: renews a token with the builder (<c>kr_builder_renew</c>). The library first
/// validates the old token against the builder (signature with the builder's key, its issuer and
/// audiences, lifetime with 60 s skew); a forged, expired or foreign token is a terminating error
/// (ErrorId KrJwt.InvalidToken) with the library's reason. The renewed token keeps the claims,
/// has fresh iat/nbf/exp, the builder's issuer and the merged audiences (no duplicates). The
/// builder is not changed. Encrypted tokens renew when the builder's encryption key can decrypt
/// them (the library decides).
/// <para>
/// <c>-FromContext</c> reads <c>Authorization: Bearer &lt;token&gt;</c> (scheme in any case) from the
/// request of the caller's <c>$Context</c>. Every unusable bearer token is a non-terminating error
/// (category AuthenticationError) and no output, so that a route can answer 401: no token
/// (ErrorId KrJwt.NoBearerToken), or a malformed, forged, expired or foreign one (KrJwt.InvalidToken).
/// </para>
/// </summary>
[Cmdlet(VerbsData.Update, "KrJWT", DefaultParameterSetName = TokenSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(string))]
public sealed class UpdateKrJwtCommand : KrJwtCmdlet
{
    private const string TokenSet = "Token";
    private const string ContextSet = "Context";

    /// <summary>The builder whose key, issuer, audiences and lifetime the renewed token gets.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public JwtTokenBuilder Builder { get; set; } = null!;

    /// <summary>The token to renew.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TokenSet)]
    public string Token { get; set; } = null!;

    /// <summary>Take the token from the current request's Authorization header ($Context).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ContextSet)]
    public SwitchParameter FromContext { get; set; }

    /// <summary>The renewed token's lifetime; the builder's lifetime when not given. Must be positive.</summary>
    [Parameter]
    public TimeSpan Lifetime { get; set; }

    protected override object? ErrorTarget => Builder;

    protected override void ProcessItem()
    {
        TimeSpan? lifetime = MyInvocation.BoundParameters.ContainsKey(nameof(Lifetime)) ? Lifetime : (TimeSpan?)null;
        if (lifetime <= TimeSpan.Zero)
        {
            // ArgumentException without a parameter name: its message is said once, as written.
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException(
                    $"The -Lifetime must be positive, but it is {Lifetime}. Leave -Lifetime out to use the builder's lifetime ({Builder.Lifetime})."),
                "KrJwt.InvalidArgument",
                ErrorCategory.InvalidArgument,
                Lifetime));
        }

        string token;
        string source;
        if (ParameterSetName == ContextSet)
        {
            string? bearer = BearerToken.ReadOrReport(this, "bearer token to renew");
            if (bearer is null)
            {
                return;
            }

            token = bearer;
            source = " (the bearer token of the current request)";
        }
        else
        {
            token = Token;
            source = string.Empty;
        }

        if (!ShouldProcess(TokenTarget.Describe(token) + source, $"Renew with a lifetime of {lifetime ?? Builder.Lifetime} ({Builder})"))
        {
            return;
        }

        double seconds = lifetime?.TotalSeconds ?? 0; // <= 0: the builder's lifetime
        Utf8Token bytes = Utf8Token.Of(token);
        KrStatus status = NativeMethods.kr_builder_renew(Builder.Handle, bytes.Bytes, bytes.Length, seconds, out KrResultHandle result);
        using (result)
        {
            if (status == KrStatus.InvalidToken && ParameterSetName == ContextSet)
            {
                // A bad bearer token is the caller's, not the route's, problem: reported like a missing one.
                KrJwtException refused = KrNative.Failure(status);
                WriteError(new ErrorRecord(refused, refused.ErrorId, ErrorCategory.AuthenticationError, null));
                return;
            }

            KrNative.Check(status);
            WriteObject(KrNative.GetString((out IntPtr p) => NativeMethods.kr_result_get_token(result, out p)));
        }
    }
}
