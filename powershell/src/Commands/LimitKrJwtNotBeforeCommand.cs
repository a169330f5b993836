namespace KrJwt.Commands;

/// <summary>
/// Limit-KrJWTNotBefore: when tokens start being valid. -UtcBefore is an absolute time;
/// -Seconds/-Minutes delay validity relative to each build (as the guide writes). Validity
/// starts at max(now, nbf), so a time in the past has no effect.
/// </summary>
[Cmdlet(VerbsData.Limit, "KrJWTNotBefore", DefaultParameterSetName = UtcBeforeSet)]
[OutputType(typeof(JwtTokenBuilder))]
public sealed class LimitKrJwtNotBeforeCommand : BuilderMutationCmdlet
{
    private const string UtcBeforeSet = "UtcBefore";
    private const string RelativeSet = "Relative";

    /// <summary>
    /// The not-before instant. Local times are converted to UTC; a time without a kind
    /// (e.g. [datetime]'2030-01-01 12:00') is taken as UTC, as the parameter name says.
    /// </summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = UtcBeforeSet)]
    public DateTime UtcBefore { get; set; }

    [Parameter(ParameterSetName = RelativeSet)]
    [ValidateRange(0d, double.MaxValue)]
    public double Seconds { get; set; }

    [Parameter(ParameterSetName = RelativeSet)]
    [ValidateRange(0d, double.MaxValue)]
    public double Minutes { get; set; }

    private protected override void Apply(KrBuilderHandle builder)
    {
        KrStatus status = ParameterSetName == RelativeSet
            ? NativeMethods.kr_builder_set_not_before_offset(builder, (Minutes * 60) + Seconds)
            : NativeMethods.kr_builder_set_not_before(builder, UtcTime.ToUnixSeconds(UtcBefore));
        KrNative.Check(status);
    }
}
