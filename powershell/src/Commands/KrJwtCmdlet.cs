namespace KrJwt.Commands;

/// <summary>
/// Base of every KrJwt cmdlet: turns a failed library call into a terminating ErrorRecord whose
/// ErrorId comes from the library status (KrJwt.InvalidKey, ...) and whose message is the
/// library's, with the cmdlet advice of <see cref="CmdletAdvice"/>. Bad parameters and bad keys are terminating errors by PowerShell convention.
/// </summary>
public abstract class KrJwtCmdlet : PSCmdlet
{
    /// <summary>The object an error is about. Never key material, never a whole token (<see cref="ErrorTargets"/>).</summary>
    protected abstract object? ErrorTarget { get; }

    protected sealed override void ProcessRecord()
    {
        try
        {
            ProcessItem();
        }
        catch (KrJwtException ex)
        {
            KrJwtException advised = CmdletAdvice.Advise(ex, MyInvocation);
            ThrowTerminatingError(new ErrorRecord(advised, advised.ErrorId, advised.Category, ErrorTarget));
        }
        catch (ObjectDisposedException ex)
        {
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException($"The {ex.ObjectName} was disposed; create a new one.", ex),
                "KrJwt.ObjectDisposed",
                ErrorCategory.InvalidOperation,
                ErrorTarget));
        }
    }

    /// <summary>Handles one pipeline input.</summary>
    protected abstract void ProcessItem();

    private bool? verbose;

    /// <summary>
    /// Whether verbose lines will be shown (-Verbose, or $VerbosePreference): work done only to
    /// feed them (describing keys and tokens) is skipped otherwise.
    /// </summary>
    protected bool VerboseEnabled => verbose ??= ReadVerbosePreference();

    private bool ReadVerbosePreference()
    {
        if (MyInvocation.BoundParameters.TryGetValue("Verbose", out object? bound))
        {
            return bound is SwitchParameter switchParameter ? switchParameter.IsPresent : LanguagePrimitives.IsTrue(bound);
        }

        // ~0.1 us per call (a scope lookup): Test-KrJWT pays it on its fast path.
        object? value = SessionState.PSVariable.GetValue("VerbosePreference");
        ActionPreference preference = value is ActionPreference set
            ? set
            : LanguagePrimitives.TryConvertTo(value, out ActionPreference converted) ? converted : ActionPreference.SilentlyContinue;
        return preference != ActionPreference.SilentlyContinue && preference != ActionPreference.Ignore;
    }
}

/// <summary>A cmdlet whose input is a builder, from the pipeline or at position 0.</summary>
public abstract class BuilderCmdlet : KrJwtCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0)]
    public JwtTokenBuilder Builder { get; set; } = null!;

    protected override object? ErrorTarget => Builder;
}

/// <summary>
/// A cmdlet that changes the builder in place and passes the same builder on (pipeline style).
/// </summary>
public abstract class BuilderMutationCmdlet : BuilderCmdlet
{
    protected sealed override void ProcessItem()
    {
        try
        {
            Apply(Builder.Handle);
        }
        finally
        {
            Builder.Changed();
        }

        WriteObject(Builder);
    }

    /// <summary>Makes the change; throws <see cref="KrJwtException"/> when the library refuses it.</summary>
    private protected abstract void Apply(KrBuilderHandle builder);
}

/// <summary>A cmdlet whose input is a build result, from the pipeline or at position 0.</summary>
public abstract class ResultCmdlet : KrJwtCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0)]
    [BuiltTokenArgument]
    public JwtBuilderResult Result { get; set; } = null!;

    protected override object? ErrorTarget => ErrorTargets.Token(Result);
}
