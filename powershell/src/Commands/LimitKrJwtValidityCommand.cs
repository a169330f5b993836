namespace KrJwt.Commands;

/// <summary>
/// Limit-KrJWTValidity: sets how long built tokens are valid, counted from the start of
/// validity (max(now, nbf)). The library refuses a lifetime of zero or less.
/// </summary>
[Cmdlet(VerbsData.Limit, "KrJWTValidity", DefaultParameterSetName = TimeSpanSet)]
[OutputType(typeof(JwtTokenBuilder))]
public sealed class LimitKrJwtValidityCommand : BuilderMutationCmdlet
{
    private const string TimeSpanSet = "TimeSpan";
    private const string DiscreteSet = "Discrete";

    [Parameter(Mandatory = true, ParameterSetName = TimeSpanSet)]
    public TimeSpan Lifetime { get; set; }

    [Parameter(ParameterSetName = DiscreteSet)]
    [ValidateRange(0d, double.MaxValue)]
    public double Hours { get; set; }

    [Parameter(ParameterSetName = DiscreteSet)]
    [ValidateRange(0d, double.MaxValue)]
    public double Minutes { get; set; }

    [Parameter(ParameterSetName = DiscreteSet)]
    [ValidateRange(0d, double.MaxValue)]
    public double Seconds { get; set; }

    private protected override void Apply(KrBuilderHandle builder)
    {
        double seconds = ParameterSetName == DiscreteSet
            ? (Hours * 3600) + (Minutes * 60) + Seconds
            : Lifetime.TotalSeconds;
        KrNative.Check(NativeMethods.kr_builder_set_lifetime(builder, seconds));
    }
}
