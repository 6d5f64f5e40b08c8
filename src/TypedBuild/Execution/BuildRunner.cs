using System.Collections;
using System.Diagnostics;
using System.Linq.Expressions;
using System.Reflection;
using TypedBuild.Cli;
using TypedBuild.Definition;
using TypedBuild.Hosts;
using TypedBuild.Logging;
using TypedBuild.Parameters;
using TypedBuild.Planning;
using TypedBuild.Processes;
using TypedBuild.Provisioning;

namespace TypedBuild.Execution;

/// <summary>
/// One build run from arguments to exit code: root, host and log; targets and parameters; plan; provisioning
/// checks; execution; summary; observers. Takes its environment, output and root from <see cref="RunnerOptions"/>
/// so that it has no process-wide state of its own and tests can run it in-process.
/// </summary>
internal sealed class BuildRunner(Func<BuildBase> createBuild, IReadOnlyList<string> defaultTargetNames, RunnerOptions options)
{
    public static IReadOnlyList<string> TargetNames<TBuild>(IEnumerable<Expression<Func<TBuild, Target>>> expressions)
    {
        var names = new List<string>();
        foreach (var expression in expressions)
        {
            var member = MemberOf(expression.Body)
                ?? throw new ArgumentException($"Default target '{expression}' must be a target member, like x => x.Compile.", nameof(expressions));
            names.Add(member.Name);
        }

        return names;
    }

    public async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var arguments = ParsedArguments.Parse(args);
        AbsolutePath root;
        ICiHost host;
        Verbosity verbosity;
        try
        {
            root = ResolveRoot(arguments);
            verbosity = ParseVerbosity(arguments);
            var hostOverride = SingleValue(arguments, BuiltInOptions.Host);
            host = options.HostFactory?.Invoke(options.Environment, root, hostOverride)
                ?? CiHostDetector.Detect(options.Environment, root, hostOverride, options.Output);
        }
        catch (Exception exception) when (exception is UsageException or ArgumentException)
        {
            await options.Output.WriteLineAsync($"ERR {exception.Message}").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        var masker = new SecretMasker();
        var console = BuildLog.CreateConsole(options.Output, options.Environment, options.IsTerminal);
        var log = new BuildLog(console, masker, host, verbosity, timestamps: !host.IsServerBuild)
        {
            CurrentTarget = () => TargetRun.Current.Value?.Name,
        };

        var (originalOut, originalError) = (Console.Out, Console.Error);
        if (options.WrapConsole)
        {
            Console.SetOut(new MaskingTextWriter(originalOut, masker));
            Console.SetError(new MaskingTextWriter(originalError, masker));
        }

        try
        {
            return await RunCoreAsync(arguments, root, host, log, masker).ConfigureAwait(false);
        }
        catch (UsageException exception)
        {
            log.Error(exception.Message);
            return ExitCodes.UsageError;
        }
        catch (OperationCanceledException) when (options.CancellationToken.IsCancellationRequested)
        {
            log.Warning("Build cancelled before any target ran.");
            return ExitCodes.Cancelled;
        }
        finally
        {
            if (options.WrapConsole)
            {
                await Console.Out.FlushAsync().ConfigureAwait(false);
                await Console.Error.FlushAsync().ConfigureAwait(false);
                Console.SetOut(originalOut);
                Console.SetError(originalError);
            }
        }
    }

    private async Task<int> RunCoreAsync(ParsedArguments arguments, AbsolutePath root, ICiHost host, BuildLog log, SecretMasker masker)
    {
        var build = createBuild();
        build.RootDirectory = root;
        build.Host = host;
        build.Log = log;
        build.Secrets = masker;
        build.Processes = options.ProcessRunnerFactory?.Invoke(log, masker) ?? new ProcessRunner(log, masker);
        build.CancellationToken = options.CancellationToken;

        var targets = TargetDiscovery.Discover(build);
        var parameters = ParameterDescriptor.Discover(build);
        var defaults = defaultTargetNames.Select(name => FindTarget(targets, name)).ToList();
        if (Directory.Exists(ParameterFiles.Directory(root)))
        {
            SchemaWriter.Write(root, parameters, targets);
        }

        MoveFlagValuesToTargets(arguments, parameters);
        if (Get(arguments, BuiltInOptions.Help) is not null)
        {
            await options.Output.WriteAsync(HelpWriter.Render(targets, defaults, parameters)).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        ThrowOnUnknownArguments(arguments, parameters);
        build.Profile = SingleValue(arguments, BuiltInOptions.Profile);
        var files = ParameterFiles.Load(root, build.Profile);
        new ParameterBinder(parameters, options.Environment, root).Bind(build, arguments, files);
        RegisterSecrets(build, parameters, masker, host);
        build.InitializeBuild();

        var invoked = ResolveInvoked(arguments, files, targets, defaults);
        if (invoked.Count == 0)
        {
            await options.Output.WriteAsync(HelpWriter.Render(targets, defaults, parameters)).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        build.InvokedTargets = invoked.Select(t => t.Name).ToList();
        var plan = Planner.Plan(targets, invoked, ResolveSkip(arguments, files, targets));
        Planner.ApplyStaticConditions(plan);
        if (Get(arguments, BuiltInOptions.Plan) is not null)
        {
            var json = Get(arguments, BuiltInOptions.Json) is not null;
            await options.Output.WriteAsync(json ? PlanWriter.RenderJson(plan) : PlanWriter.RenderText(plan)).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        RequirementChecks.ThrowOnMissingParameters(plan, parameters);
        var provisioning = new ProvisioningContext(root, root / ".tools", log, build.Processes, Environment.IsPrivilegedProcess, host.IsServerBuild);
        var missingTools = await BuildExecutor.FindMissingToolsAsync(plan, provisioning, options.CancellationToken).ConfigureAwait(false);
        if (missingTools.Count > 0)
        {
            log.Error("Missing tools, nothing was run:\n  - " + string.Join("\n  - ", missingTools));
            return ExitCodes.TargetFailed;
        }

        var stopwatch = Stopwatch.StartNew();
        var executor = new BuildExecutor(build, plan, log, host, provisioning, options.CancellationToken, options.Cache);
        await executor.RunAsync().ConfigureAwait(false);
        var runs = executor.Runs;
        var exitCode = ExitCodeOf(runs);
        var result = new BuildResult(runs.Select(r => r.ToResult()).ToList(), build.InvokedTargets, build.Profile, stopwatch.Elapsed, exitCode, host);

        // Observers first: their warnings belong in the recap, and the summary's final line stays the last line.
        await NotifyObserversAsync(build, result, log).ConfigureAwait(false);
        log.WriteRecap();
        SummaryWriter.Write(log, result);
        host.AppendJobSummary(masker.Mask(SummaryWriter.ToMarkdown(result)));
        return exitCode;
    }

    private int ExitCodeOf(IReadOnlyList<TargetRun> runs)
    {
        if (options.CancellationToken.IsCancellationRequested || runs.Any(r => r.Status == TargetStatus.Cancelled))
        {
            return ExitCodes.Cancelled;
        }

        return runs.Any(r => r.Status is TargetStatus.Failed or TargetStatus.NotRun) ? ExitCodes.TargetFailed : ExitCodes.Success;
    }

    private AbsolutePath ResolveRoot(ParsedArguments arguments)
    {
        if (SingleValue(arguments, BuiltInOptions.Root) is { } rootArgument)
        {
            var root = AbsolutePath.Create(rootArgument, options.WorkingDirectory);
            return Directory.Exists(root) ? root : throw new UsageException($"--root {rootArgument}: directory {root} does not exist.");
        }

        var start = AbsolutePath.Create(options.WorkingDirectory);
        var directory = start;
        while (!Directory.Exists(directory / ".nuke"))
        {
            if (directory.Parent == directory)
            {
                return start;
            }

            directory = directory.Parent;
        }

        return directory;
    }

    private static Verbosity ParseVerbosity(ParsedArguments arguments)
    {
        var value = SingleValue(arguments, BuiltInOptions.Verbosity);
        if (value is null)
        {
            return Verbosity.Normal;
        }

        var names = Enum.GetNames<Verbosity>();
        var match = Array.Find(names, n => NameMatching.AreEquivalent(n, value));
        return match is not null
            ? Enum.Parse<Verbosity>(match)
            : throw new UsageException($"--verbosity {value} is not a verbosity. Allowed values: quiet, minimal, normal, verbose.");
    }

    private static NamedArgument? Get(ParsedArguments arguments, BuiltInOption option)
        => arguments.Named.LastOrDefault(a => option.Matches(a.RawName));

    private static string? SingleValue(ParsedArguments arguments, BuiltInOption option)
    {
        if (Get(arguments, option) is not { } argument)
        {
            return null;
        }

        return argument.Values.Count == 1
            ? argument.Values[0]
            : throw new UsageException($"{option.Name} takes one value {option.Usage}, got {argument.Values.Count}.");
    }

    /// <summary><c>--plan Compile</c>, <c>--deploy-now Test</c>: a switch followed by words that are not booleans means targets.</summary>
    private static void MoveFlagValuesToTargets(ParsedArguments arguments, IReadOnlyList<ParameterDescriptor> parameters)
    {
        foreach (var argument in arguments.Named)
        {
            var isSwitch = BuiltInOptions.Find(argument.RawName)?.IsFlag
                ?? parameters.FirstOrDefault(p => NameMatching.AreEquivalent(p.Name, argument.RawName))?.IsBoolean
                ?? false;
            if (isSwitch && argument.Values.Count > 0 && !ParameterConverter.IsBooleanLiteral(argument.Values[0]))
            {
                arguments.Positional.AddRange(argument.Values);
                argument.Values.Clear();
            }
        }
    }

    private static void ThrowOnUnknownArguments(ParsedArguments arguments, IReadOnlyList<ParameterDescriptor> parameters)
    {
        var unknown = arguments.Named
            .Select(a => a.RawName)
            .FirstOrDefault(name => BuiltInOptions.Find(name) is null && !parameters.Any(p => NameMatching.AreEquivalent(p.Name, name)));
        if (unknown is not null)
        {
            var candidates = parameters.Select(p => p.CliName).Concat(BuiltInOptions.All.Select(o => o.Name));
            throw new UsageException(
                $"Unknown parameter '{unknown}'.{NameMatching.DidYouMean(unknown, candidates)} Run with --help to list parameters.");
        }
    }

    private static ExecutableTarget FindTarget(IReadOnlyList<ExecutableTarget> targets, string name)
        => targets.FirstOrDefault(t => NameMatching.AreEquivalent(t.Name, name))
            ?? throw new UsageException(
                $"Unknown target '{name}'.{NameMatching.DidYouMean(name, targets.Select(t => t.Name))} Run with --help to list targets.");

    private static List<ExecutableTarget> FindTargets(IEnumerable<string> names, IReadOnlyList<ExecutableTarget> targets)
        => names.SelectMany(n => n.Split('+', StringSplitOptions.RemoveEmptyEntries))
            .Select(n => FindTarget(targets, n))
            .Distinct()
            .ToList();

    private static List<ExecutableTarget> ResolveInvoked(
        ParsedArguments arguments, ParameterFiles files, IReadOnlyList<ExecutableTarget> targets, List<ExecutableTarget> defaults)
    {
        var named = arguments.Positional.Concat(Get(arguments, BuiltInOptions.Target)?.Values ?? []).ToList();
        if (named.Count == 0 && files.Find("Target") is var (_, fromFile))
        {
            named.AddRange(ParameterFile.ToStrings(fromFile, splitText: true) ?? []);
        }

        return named.Count > 0 ? FindTargets(named, targets) : defaults;
    }

    private static SkipRequest ResolveSkip(ParsedArguments arguments, ParameterFiles files, IReadOnlyList<ExecutableTarget> targets)
    {
        if (Get(arguments, BuiltInOptions.Skip) is { } skip)
        {
            return new SkipRequest(skip.Values.Count == 0, FindTargets(skip.Values, targets));
        }

        if (files.Find("Skip") is var (_, fromFile) && ParameterFile.ToStrings(fromFile, splitText: true) is { } names)
        {
            return new SkipRequest(names.Count == 0, FindTargets(names, targets));
        }

        return SkipRequest.None;
    }

    private static void RegisterSecrets(BuildBase build, IReadOnlyList<ParameterDescriptor> parameters, SecretMasker masker, ICiHost host)
    {
        var values = parameters.Where(p => p.IsSecret)
            .Select(p => p.GetValue(build))
            .SelectMany(v => v is string[] items ? items : [v?.ToString() ?? string.Empty])
            .Where(v => v.Trim().Length >= SecretMasker.MinimumLength);
        foreach (var value in values)
        {
            masker.Register(value);
            host.RegisterSecret(value);
        }
    }

    private static async Task NotifyObserversAsync(BuildBase build, BuildResult result, BuildLog log)
    {
        IEnumerable<IBuildObserver> observers;
        try
        {
            observers = build.GetObservers().ToList();
        }
        catch (Exception exception)
        {
            log.Warning($"Could not read the build's observers: {exception.Message}");
            return;
        }

        foreach (var observer in observers)
        {
            try
            {
                await observer.OnBuildFinishedAsync(result, log.Masker, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                log.Warning($"Observer {observer.GetType().Name} failed: {exception.Message}");
            }
        }
    }

    internal static MemberInfo? MemberOf(Expression expression) => expression switch
    {
        MemberExpression member => member.Member,
        UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } unary => MemberOf(unary.Operand),
        _ => null,
    };
}

/// <summary><c>Requires(() => Param)</c>: checked for every target to run before anything runs.</summary>
internal static class RequirementChecks
{
    public static void ThrowOnMissingParameters(ExecutionPlan plan, IReadOnlyList<ParameterDescriptor> parameters)
    {
        var missing = new List<(string What, string Target)>();
        foreach (var node in plan.ToRun)
        {
            missing.AddRange(node.Target.ParameterRequirements
                .Where(requirement => IsMissing(Evaluate(requirement)))
                .Select(requirement => (Describe(requirement, parameters), node.Name)));
        }

        if (missing.Count == 0)
        {
            return;
        }

        var lines = missing.GroupBy(m => m.What).Select(g => $"  - {g.Key}, required by {string.Join(", ", g.Select(m => m.Target))}");
        throw new UsageException(
            "Missing required parameters, nothing was run:\n" + string.Join('\n', lines) +
            "\nSet them on the command line, as environment variables, or in .nuke/parameters*.json.");
    }

    internal static bool IsMissing(object? value) => value switch
    {
        null => true,
        string text => string.IsNullOrWhiteSpace(text),
        bool flag => !flag,
        ICollection collection => collection.Count == 0,
        _ => false,
    };

    private static object? Evaluate(LambdaExpression requirement)
    {
        // Reading the member directly avoids compiling an expression for the common `() => Param` shape.
        if (requirement.Body is MemberExpression { Expression: null or ConstantExpression } member)
        {
            var owner = (member.Expression as ConstantExpression)?.Value;
            return member.Member switch
            {
                FieldInfo field => field.GetValue(owner),
                PropertyInfo property => property.GetValue(owner),
                _ => requirement.Compile().DynamicInvoke(),
            };
        }

        return requirement.Compile().DynamicInvoke();
    }

    private static string Describe(LambdaExpression requirement, IReadOnlyList<ParameterDescriptor> parameters)
    {
        var member = BuildRunner.MemberOf(requirement.Body);
        var parameter = member is null ? null : parameters.FirstOrDefault(p => p.Member.Name == member.Name);
        return parameter is null
            ? $"'{requirement.Body}'"
            : $"{parameter.Name} ({parameter.CliName} or environment variable {parameter.EnvironmentName})";
    }
}
