using System.Collections;
using System.Diagnostics;
using System.Linq.Expressions;
using System.Reflection;
using TypedBuild.Caching;
using TypedBuild.Cli;
using TypedBuild.Definition;
using TypedBuild.Hosts;
using TypedBuild.Logging;
using TypedBuild.Parameters;
using TypedBuild.Planning;
using TypedBuild.Processes;
using TypedBuild.Provisioning;
using TypedBuild.Registries;

namespace TypedBuild.Execution;

/// <summary>
/// One build run from arguments to exit code: root, host and log; targets and parameters; plan; provisioning
/// checks; execution; summary; observers. Takes its environment, output and root from <see cref="RunnerOptions"/>
/// so that it has no process-wide state of its own and tests can run it in-process.
/// </summary>
internal sealed class BuildRunner(Func<BuildBase> createBuild, IReadOnlyList<string> defaultTargetNames, RunnerOptions options)
{
    private const string InvalidInput = "the build's input is invalid";

    /// <summary>Every stream a target may write to passes through it, so that targets running at once never interleave.</summary>
    private readonly TargetOutputGate _output = new();

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
        // Problems with the engine's own options are reported once secrets are registered, so that nothing is echoed unmasked.
        var problems = new List<UsageException>();
        var early = ParsedArguments.Parse(args);
        var root = Attempt(problems, () => ResolveRoot(early), SearchRoot());
        var verbosity = Attempt(problems, () => ParseVerbosity(early), Verbosity.Normal);
        var hostOverride = Attempt(problems, () => HostOverride(early), (string?)null);
        var error = _output.Wrap(options.Error);
        var host = options.HostFactory?.Invoke(options.Environment, root, hostOverride)
            ?? CiHostDetector.Detect(options.Environment, root, hostOverride, error);

        var masker = new SecretMasker();
        var console = BuildLog.CreateConsole(error, options.Environment, options.IsTerminal, hostRendersAnsi: hostOverride is null && host.IsServerBuild && host.Kind != CiHostKind.Local);
        var log = new BuildLog(console, masker, host, verbosity, timestamps: !host.IsServerBuild)
        {
            CurrentTarget = () => TargetRun.Current.Value?.Name,
        };

        var (originalOut, originalError) = (Console.Out, Console.Error);
        var (maskedOut, maskedError) = (new MaskingTextWriter(originalOut, masker), new MaskingTextWriter(originalError, masker));
        if (options.WrapConsole)
        {
            Console.SetOut(_output.Wrap(maskedOut));
            Console.SetError(_output.Wrap(maskedError));
        }

        try
        {
            return await RunCoreAsync(args, root, host, log, masker, problems).ConfigureAwait(false);
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
        catch (Exception exception)
        {
            log.Error(Unexpected(exception, log));
            return ExitCodes.TargetFailed;
        }
        finally
        {
            if (options.WrapConsole)
            {
                maskedOut.Complete();
                maskedError.Complete();
                Console.SetOut(originalOut);
                Console.SetError(originalError);
            }
        }
    }

    private async Task<int> RunCoreAsync(
        IReadOnlyList<string> args, AbsolutePath root, ICiHost host, BuildLog log, SecretMasker masker, List<UsageException> problems)
    {
        var stopwatch = Stopwatch.StartNew();
        var build = createBuild();
        build.RootDirectory = root;
        build.Host = host;
        build.Log = log;
        build.Secrets = masker;
        build.Processes = options.ProcessRunnerFactory?.Invoke(log, masker) ?? new ProcessRunner(log, masker);
        build.CancellationToken = options.CancellationToken;

        var targets = TargetDiscovery.Discover(build);
        var parameters = ParameterDescriptor.Discover(build);
        var arguments = ParsedArguments.Parse(args, name => parameters.Any(p => p.IsSecret && !p.IsBoolean && NameMatching.AreEquivalent(p.Name, name)));
        var announcement = Get(arguments, BuiltInOptions.AnnounceFailure);
        if (announcement is null && Directory.Exists(ParameterFiles.Directory(root)))
        {
            // A failure hook may run a stand-in build that knows none of the real build's parameters: it must not rewrite their schema.
            SchemaWriter.Write(root, parameters, targets);
        }

        MoveFlagValuesToTargets(arguments, parameters);
        if (Get(arguments, BuiltInOptions.Help) is not null && problems.Count == 0)
        {
            await options.Output.WriteAsync(HelpWriter.Render(targets, FindTargets(defaultTargetNames, targets), parameters)).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        problems.AddRange(UnknownArguments(arguments, parameters));
        build.Profile = Attempt(problems, () => SingleValue(arguments, BuiltInOptions.Profile), (string?)null);
        var files = Attempt(problems, () => ParameterFiles.Load(root, build.Profile), ParameterFiles.None);
        problems.AddRange(new ParameterBinder(parameters, options.Environment, root).Bind(build, arguments, files));
        RegisterSecrets(build, parameters, masker, host);
        if (announcement is not null)
        {
            return await AnnounceFailureAsync(build, announcement, problems, stopwatch).ConfigureAwait(false);
        }

        FailureMarker.Clear(root, build.Log);
        if (problems.FirstOrDefault() is { } firstProblem)
        {
            return await StopAsync(build, ExitCodes.UsageError, InvalidInput, firstProblem.Message, stopwatch).ConfigureAwait(false);
        }

        try
        {
            return await PlanAndExecuteAsync(build, arguments, files, targets, parameters, stopwatch).ConfigureAwait(false);
        }
        catch (UsageException exception)
        {
            return await StopAsync(build, ExitCodes.UsageError, InvalidInput, exception.Message, stopwatch).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !options.CancellationToken.IsCancellationRequested)
        {
            return await StopAsync(build, ExitCodes.TargetFailed, "the build crashed", Unexpected(exception, log), stopwatch).ConfigureAwait(false);
        }
    }

    private async Task<int> PlanAndExecuteAsync(
        BuildBase build,
        ParsedArguments arguments,
        ParameterFiles files,
        IReadOnlyList<ExecutableTarget> targets,
        IReadOnlyList<ParameterDescriptor> parameters,
        Stopwatch stopwatch)
    {
        var (host, log) = (build.Host, (BuildLog)build.Log);
        build.InitializeBuild();
        var defaults = FindTargets(defaultTargetNames, targets);
        var invoked = ResolveInvoked(arguments, files, targets, defaults);
        if (invoked.Count == 0)
        {
            await options.Output.WriteAsync(HelpWriter.Render(targets, defaults, parameters)).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        build.InvokedTargets = invoked.Select(t => t.Name).ToList();
        var parallelism = ParseParallelism(arguments);
        var plan = Planner.Plan(targets, invoked, ResolveSkip(arguments, files, targets));
        Planner.ApplyStaticConditions(plan);
        (build.Targets, build.Plan) = (targets, plan);
        using var cache = Get(arguments, BuiltInOptions.NoCache) is null ? CreateCache(build, arguments) : null;
        if (Get(arguments, BuiltInOptions.Plan) is not null)
        {
            var lookups = await LookUpAsync(plan, cache).ConfigureAwait(false);
            var json = Get(arguments, BuiltInOptions.Json) is not null;
            await options.Output.WriteAsync(json ? PlanWriter.RenderJson(plan, lookups) : PlanWriter.RenderText(plan, lookups)).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        RequirementChecks.ThrowOnMissingParameters(plan, parameters);
        var provisioning = new ProvisioningContext(build.RootDirectory, build.RootDirectory / ".tools", log, build.Processes, Environment.IsPrivilegedProcess, host.IsServerBuild);
        var missingTools = await BuildExecutor.FindMissingToolsAsync(plan, provisioning, options.CancellationToken).ConfigureAwait(false);
        if (missingTools.Count > 0)
        {
            return await StopAsync(build, ExitCodes.TargetFailed, "tools are missing", "Missing tools, nothing was run:\n  - " + string.Join("\n  - ", missingTools), stopwatch)
                .ConfigureAwait(false);
        }

        var executor = new BuildExecutor(build, plan, log, host, provisioning, options.CancellationToken, parallelism, _output, cache);
        await executor.RunAsync().ConfigureAwait(false);
        foreach (var file in ArtifactMasking.MaskFiles(build.RootDirectory, build.Secrets))
        {
            log.Warning($"{file} held a secret value; it is masked now. Keep secrets out of files the build writes.");
        }

        var runs = executor.Runs;
        var exitCode = ExitCodeOf(runs);
        var result = new BuildResult(runs.Select(r => r.ToResult()).ToList(), build.InvokedTargets, build.Profile, stopwatch.Elapsed, exitCode, host);

        // Observers first: their warnings belong in the recap, and the summary's final line stays the last line.
        await AnnounceAsync(build, result).ConfigureAwait(false);
        WriteReport(build, result);
        log.WriteRecap();
        SummaryWriter.Write(log, result);
        host.AppendJobSummary(log.Masker.Mask(SummaryWriter.ToMarkdown(result) + Environment.NewLine + BuildReport.ToMermaidGantt(result)));
        return exitCode;
    }

    /// <summary>
    /// The build ends before any target ran. On a CI server the observers are told (Slack posts the failure); locally a
    /// typo is only reported, since whoever made it is reading the output.
    /// </summary>
    private static async Task<int> StopAsync(BuildBase build, int exitCode, string title, string message, Stopwatch stopwatch)
    {
        build.Log.Error(message);
        if (build.Host.IsServerBuild)
        {
            var result = new BuildResult([], build.InvokedTargets, build.Profile, stopwatch.Elapsed, exitCode, build.Host)
            {
                Problem = new BuildProblem(title, build.Secrets.Mask(message)),
            };
            await AnnounceAsync(build, result).ConfigureAwait(false);
        }

        return exitCode;
    }

    /// <summary>
    /// <c>--announce-failure failed|errored|aborted</c>, from a CI failure hook: posts the failure unless this run's
    /// build announced it already. <c>not-compiled</c> is what build.sh asks for when the build definition does not
    /// compile. Always exits 0 once the request is understood: a notification never changes a job's result.
    /// </summary>
    private static async Task<int> AnnounceFailureAsync(BuildBase build, NamedArgument announcement, IReadOnlyList<UsageException> problems, Stopwatch stopwatch)
    {
        var log = build.Log;
        var kind = announcement.Values.Count == 1 ? announcement.Values[0].ToLowerInvariant() : null;
        var (title, details, exitCode) = kind switch
        {
            "failed" => ($"the {build.Host.DisplayName} job failed", "The CI system reports the job as failed before the build could say why (a step outside the build, a timeout, a lost runner). See the job log.", ExitCodes.TargetFailed),
            "errored" => ($"the {build.Host.DisplayName} job errored", "The CI system reports an error outside the build (the job's image, inputs or worker). See the job log.", ExitCodes.TargetFailed),
            "aborted" => ($"the {build.Host.DisplayName} job was aborted", "The job was aborted or cancelled before the build finished.", ExitCodes.Cancelled),
            "not-compiled" => ("the build definition does not compile", CompileErrors(build.TemporaryDirectory / "build-compile.log"), ExitCodes.UsageError),
            _ => (null, null, 0),
        };
        if (title is null || details is null)
        {
            log.Error($"{BuiltInOptions.AnnounceFailure.Name} takes one of failed, errored, aborted, got '{string.Join(' ', announcement.Values)}'.");
            return ExitCodes.UsageError;
        }

        foreach (var problem in problems)
        {
            log.Debug($"Ignored while announcing a failure: {problem.Message}");
        }

        if (kind != "not-compiled" && FailureMarker.ExistsFor(build.RootDirectory, build.Host))
        {
            log.Information($"The build already announced this failure ({FailureMarker.PathFor(build.RootDirectory).RelativeTo(build.RootDirectory)}); nothing more to post.");
            return ExitCodes.Success;
        }

        // The job log already shows the failure: the hook only says what it announces.
        log.Information($"Announcing that {title}.");
        var result = new BuildResult([], [], build.Profile, stopwatch.Elapsed, exitCode, build.Host)
        {
            Problem = new BuildProblem(title, build.Secrets.Mask(details)),
        };
        // Only build.sh's own announcement is one a later hook must not repeat.
        await (kind == "not-compiled" ? AnnounceAsync(build, result) : NotifyObserversAsync(build, result, log)).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>The compiler's error lines from the log build.sh keeps of a failed compile.</summary>
    private static string CompileErrors(AbsolutePath compileLog)
    {
        var lines = File.Exists(compileLog) ? File.ReadAllLines(compileLog) : [];
        var errors = lines.Where(l => l.Contains(": error ", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).Take(10).ToList();
        var shown = errors.Count > 0 ? errors : lines.Where(l => l.Trim().Length > 0).TakeLast(10).ToList();
        return "The build definition does not compile" + (shown.Count > 0 ? ":\n" + string.Join('\n', shown) : " (see the job log).");
    }

    /// <summary>One line saying what failed; the stack trace only at <c>--verbosity verbose</c>.</summary>
    private static string Unexpected(Exception exception, BuildLog log)
    {
        log.Debug(exception.ToString());
        var message = exception.Message.Split('\n')[0].TrimEnd('\r', '.');
        return $"Unexpected error: {exception.GetType().Name}: {message}. Run with --verbosity verbose for the details.";
    }

    private static T Attempt<T>(List<UsageException> problems, Func<T> read, T fallback)
    {
        try
        {
            return read();
        }
        catch (UsageException problem)
        {
            problems.Add(problem);
            return fallback;
        }
    }

    private static string? HostOverride(ParsedArguments arguments)
    {
        var value = SingleValue(arguments, BuiltInOptions.Host);
        if (string.IsNullOrWhiteSpace(value) || CiHostDetector.HostNames.Contains(value.Trim().ToLowerInvariant()))
        {
            return value;
        }

        throw new UsageException(
            $"Unknown host '{value}'.{NameMatching.DidYouMean(value, CiHostDetector.HostNames)} Valid values for --host: {string.Join(", ", CiHostDetector.HostNames)}.");
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

        return SearchRoot();
    }

    private AbsolutePath SearchRoot()
    {
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

    /// <summary>A report that cannot be written is a warning: the build's outcome stands.</summary>
    private static void WriteReport(BuildBase build, BuildResult result)
    {
        var file = build.RootDirectory / "artifacts" / BuildReport.FileName;
        try
        {
            Directory.CreateDirectory(file.Parent);
            File.WriteAllText(file, build.Secrets.Mask(BuildReport.ToHtml(result)));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            build.Log.Warning($"Could not write {file.RelativeTo(build.RootDirectory)}: {exception.Message}");
        }
    }

    private TargetCache CreateCache(BuildBase build, ParsedArguments arguments)
    {
        var store = new LocalCacheStore(build.TemporaryDirectory / "cache", options.CacheMaxBytes, warning => build.Log.Warning(warning));
        var keys = new CacheKeyCalculator(build.RootDirectory, options.Environment, build.Processes, build.Secrets, build.GetType(), options.CachePlatform);
        return new TargetCache(store, keys, build.RootDirectory, build.Secrets, CreateRemoteStore(build, arguments));
    }

    /// <summary>
    /// <c>--cache-registry registry/repository</c> (or its environment variable) turns the remote store on, read-only
    /// for pull requests and with <c>--cache-read-only</c>. Its login is registered as secret before anything is sent.
    /// </summary>
    private RemoteCacheStore? CreateRemoteStore(BuildBase build, ParsedArguments arguments)
    {
        var location = SingleValue(arguments, BuiltInOptions.CacheRegistry) ?? Variable(RemoteCacheVariables.Registry);
        if (location is null)
        {
            return null;
        }

        var slash = location.Contains("://", StringComparison.Ordinal) ? -1 : location.IndexOf('/', StringComparison.Ordinal);
        var repository = slash > 0 ? Attempt(() => ImageReference.Repository(location[..slash], location[(slash + 1)..])) : null;
        if (repository is null || ImageReference.RegistryOf(repository) != location[..slash])
        {
            throw new UsageException(
                $"{BuiltInOptions.CacheRegistry.Name} {location} is not <registry>/<repository>. Give a registry host[:port] and a lower-case repository path, "
                + "e.g. 127.0.0.1:5000/typedbuild-cache or ghcr.io/owner/build-cache.");
        }

        var (username, password) = (Variable(RemoteCacheVariables.Username), Variable(RemoteCacheVariables.Password));
        foreach (var secret in new[] { username, password }.OfType<string>())
        {
            build.Secrets.Register(secret);
            build.Host.RegisterSecret(secret);
        }

        var readOnly = Get(arguments, BuiltInOptions.CacheReadOnly) is not null
            || string.Equals(Variable(RemoteCacheVariables.ReadOnly), "true", StringComparison.OrdinalIgnoreCase)
            || build.Host.IsPullRequest;
        var credentials = new RegistryCredentials(username, password, $"{RemoteCacheVariables.Username} and {RemoteCacheVariables.Password}");
        build.Log.Information($"Remote cache store: {repository}{(readOnly ? " (read-only)" : string.Empty)}");
        return new RemoteCacheStore(repository, credentials, readOnly, warning => build.Log.Warning(warning));

        static string? Attempt(Func<string> parse)
        {
            try
            {
                return parse();
            }
            catch (ArgumentException)
            {
                return null;
            }
        }
    }

    private string? Variable(string name) => options.Environment.GetValueOrDefault(name) is { Length: > 0 } value ? value.Trim() : null;

    /// <summary>What the cache would answer for every cacheable target to run, as the files are now.</summary>
    private async Task<IReadOnlyDictionary<PlannedTarget, CacheLookup>> LookUpAsync(ExecutionPlan plan, TargetCache? cache)
    {
        var lookups = new Dictionary<PlannedTarget, CacheLookup>();
        foreach (var node in plan.ToRun.Where(n => cache is not null && n.Target.Cache.IsCacheable && n.Target.Cache.Conditions.TrueForAll(c => c.Evaluate())))
        {
            lookups[node] = await cache!.LookUpAsync(node.Target, options.CancellationToken).ConfigureAwait(false);
        }

        return lookups;
    }

    /// <summary><c>--parallel N</c>: how many targets may run at once; 1 is the plan's serial order.</summary>
    private int ParseParallelism(ParsedArguments arguments)
    {
        var value = SingleValue(arguments, BuiltInOptions.Parallel);
        if (value is null)
        {
            return options.DefaultParallelism;
        }

        return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parallelism) && parallelism >= 1
            ? parallelism
            : throw new UsageException($"--parallel {value} is not a number of targets. Give a whole number from 1 (one target at a time, in plan order) upwards.");
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

    private static IEnumerable<UsageException> UnknownArguments(ParsedArguments arguments, IReadOnlyList<ParameterDescriptor> parameters)
    {
        var unknown = arguments.Named
            .Select(a => a.RawName)
            .FirstOrDefault(name => BuiltInOptions.Find(name) is null && !parameters.Any(p => NameMatching.AreEquivalent(p.Name, name)));
        if (unknown is not null)
        {
            var candidates = parameters.Select(p => p.CliName).Concat(BuiltInOptions.All.Select(o => o.Name));
            yield return new UsageException(
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
        if (named.Count == 0 && files.Find("Target") is var (file, fromFile))
        {
            named.AddRange(file.ValuesOf("Target", fromFile, ParameterShape.List));
        }

        return named.Count > 0 ? FindTargets(named, targets) : defaults;
    }

    private static SkipRequest ResolveSkip(ParsedArguments arguments, ParameterFiles files, IReadOnlyList<ExecutableTarget> targets)
    {
        if (Get(arguments, BuiltInOptions.Skip) is { } skip)
        {
            return new SkipRequest(skip.Values.Count == 0, FindTargets(skip.Values, targets));
        }

        if (files.Find("Skip") is var (file, fromFile) && file.ValuesOf("Skip", fromFile, ParameterShape.List) is var names)
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

    /// <summary>Tells the observers; for a failure worth a message, leaves the marker that keeps the CI hook from repeating it.</summary>
    private static async Task AnnounceAsync(BuildBase build, BuildResult result)
    {
        await NotifyObserversAsync(build, result, build.Log).ConfigureAwait(false);
        if (result.Problem is not null || result.FirstFailure is not null)
        {
            FailureMarker.Write(build.RootDirectory, build.Host, result.Problem?.Title ?? $"{result.FirstFailure!.Name} failed", result.ExitCode, build.Log);
        }
    }

    private static async Task NotifyObserversAsync(BuildBase build, BuildResult result, IBuildLog log)
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
                await observer.OnBuildFinishedAsync(result, build.Secrets, CancellationToken.None).ConfigureAwait(false);
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
