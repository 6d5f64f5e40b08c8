using System.Text;
using TypedBuild.Execution;

namespace TypedBuild.Logging;

/// <summary>
/// Keeps the output of targets that run at once from interleaving. The target that started first is live: what it
/// writes passes straight through. Every other running target writes into a buffer of its own; when the live target
/// ends, the next one in start order has its buffer written out in one piece and becomes live. So each target's
/// lines, group markers included, stay together and a CI log's collapsible groups never overlap. With one target
/// at a time nothing is ever buffered. Writers are told apart by <see cref="TargetRun.Current"/>, which flows into
/// every task and child-process pipe a target starts; output outside any target passes straight through.
/// </summary>
internal sealed class TargetOutputGate
{
    private readonly Lock _lock = new();
    private readonly List<TargetRun> _started = [];
    private readonly HashSet<TargetRun> _ended = [];
    private readonly Dictionary<TargetRun, List<(TextWriter Writer, string Text)>> _buffers = [];
    private TargetRun? _live;

    /// <summary>A writer that passes on to <paramref name="inner"/> through this gate; wrap every stream a target may write to.</summary>
    public TextWriter Wrap(TextWriter inner) => new GatedWriter(this, inner);

    public void Started(TargetRun run)
    {
        lock (_lock)
        {
            _started.Add(run);
            _buffers[run] = [];
            _live ??= run;
        }
    }

    public void Ended(TargetRun run)
    {
        lock (_lock)
        {
            _ended.Add(run);
            if (_live != run)
            {
                return;
            }

            Forget(run);
            _live = null;
            while (_started.Count > 0)
            {
                var next = _started[0];
                foreach (var (writer, text) in _buffers[next])
                {
                    writer.Write(text);
                }

                _buffers[next].Clear();
                if (!_ended.Contains(next))
                {
                    _live = next;
                    return;
                }

                Forget(next);
            }
        }
    }

    private void Forget(TargetRun run)
    {
        _started.Remove(run);
        _buffers.Remove(run);
        _ended.Remove(run);
    }

    private void Write(TextWriter inner, string text)
    {
        lock (_lock)
        {
            var run = TargetRun.Current.Value;
            if (run is not null && run != _live && _buffers.TryGetValue(run, out var buffer))
            {
                buffer.Add((inner, text));
                return;
            }

            inner.Write(text);
        }
    }

    private void Flush(TextWriter inner)
    {
        lock (_lock)
        {
            inner.Flush();
        }
    }

    private sealed class GatedWriter(TargetOutputGate gate, TextWriter inner) : TextWriter
    {
        public override Encoding Encoding => inner.Encoding;

        public override IFormatProvider FormatProvider => inner.FormatProvider;

        public override void Write(char value) => gate.Write(inner, value.ToString());

        public override void Write(string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                gate.Write(inner, value);
            }
        }

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void Flush() => gate.Flush(inner);

        public override Task FlushAsync() => FlushAsync(CancellationToken.None);

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Flush();
            return Task.CompletedTask;
        }
    }
}
