import { join } from 'node:path';
import pino from 'pino';
import { runModelServerCommand } from './model-server-command';
import { postChatCompletion, userPrompt } from './test-support';

describe('runModelServerCommand', () => {
  const logger = pino({ level: 'silent' });

  it('serves the models file and the dataset, and stops', async () => {
    const running = await runModelServerCommand({
      port: 0,
      modelsFile: join(__dirname, 'example-models.yaml'),
      datasetPaths: [join(__dirname, '..', 'demo', 'data', 'rational-cascades-sample.jsonl.gz')],
      logger,
      handleSignals: false,
    });
    try {
      expect(running.url).toBe(`http://127.0.0.1:${running.port}/v1`);
      const echo = await postChatCompletion({ url: running.url, body: userPrompt('echo-model', 'say this back') });
      expect(echo.body.choices[0]!.message.content).toBe('say this back');
      const models = (await (await fetch(`${running.url}/models`)).json()) as { data: { id: string }[] };
      expect(models.data.map((model) => model.id)).toEqual(
        expect.arrayContaining(['cheap-model', 'flagship-model', 'gpt-4o', 'llama3.1-405b']),
      );
    } finally {
      await running.stop();
    }
    await expect(running.stopped).resolves.toBeUndefined();
    await expect(fetch(`${running.url}/models`)).rejects.toThrow();
  });

  it('stops on SIGTERM when it handles signals', async () => {
    const listenersBefore = process.listenerCount('SIGTERM');
    const running = await runModelServerCommand({
      port: 0,
      modelsFile: join(__dirname, 'example-models.yaml'),
      logger,
    });
    expect(process.listenerCount('SIGTERM')).toBe(listenersBefore + 1);
    process.emit('SIGTERM', 'SIGTERM');
    await running.stopped;
    await expect(fetch(`${running.url}/models`)).rejects.toThrow();
    expect(process.listenerCount('SIGTERM')).toBe(listenersBefore);
  });

  it('refuses to start with nothing to serve', async () => {
    await expect(runModelServerCommand({ port: 0, logger, handleSignals: false })).rejects.toThrow('nothing to serve');
  });
});
