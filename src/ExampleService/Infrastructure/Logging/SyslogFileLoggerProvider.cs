using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using ExampleService.Infrastructure.Configuration;
using Microsoft.Extensions.Options;

namespace ExampleService.Infrastructure.Logging;

/// <summary>
/// Appends RFC 5424 lines to <see cref="SyslogOptions.Path"/>. Requests never wait on the disk: records go through a
/// bounded queue to one writer task (when the queue is full the oldest records are dropped, not the request).
/// </summary>
[ProviderAlias("Syslog")]
public sealed class SyslogFileLoggerProvider : ILoggerProvider
{
    private readonly Channel<string> _queue = Channel.CreateBounded<string>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly SyslogFormatter? _formatter;
    private readonly TimeProvider _clock;
    private readonly Task _writer = Task.CompletedTask;

    public SyslogFileLoggerProvider(IOptions<SyslogOptions> options, TimeProvider clock)
    {
        _clock = clock;
        var settings = options.Value;
        if (settings.Path is null)
        {
            return;
        }

        _formatter = new SyslogFormatter(settings.AppName, settings.Facility, Environment.MachineName, Environment.ProcessId);
        var path = Path.GetFullPath(settings.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _writer = Task.Run(() => WriteAsync(path));
    }

    public ILogger CreateLogger(string categoryName) => new SyslogLogger(this, categoryName);

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _writer.Wait(TimeSpan.FromSeconds(5));
    }

    private void Enqueue(in SyslogEntry entry) => _queue.Writer.TryWrite(_formatter!.Format(entry));

    private async Task WriteAsync(string path)
    {
        await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        await using var writer = new StreamWriter(file, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (_queue.Reader.TryRead(out var line))
            {
                await writer.WriteLineAsync(line);
            }

            await writer.FlushAsync();
        }
    }

    private sealed class SyslogLogger(SyslogFileLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && provider._formatter is not null;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            // The ambient activity is the request's: its ids are the trace context every request line carries.
            var activity = Activity.Current;
            provider.Enqueue(new SyslogEntry(
                provider._clock.GetUtcNow(),
                logLevel,
                category,
                eventId,
                formatter(state, exception),
                exception,
                activity?.TraceId.ToString(),
                activity?.SpanId.ToString()));
        }
    }
}
