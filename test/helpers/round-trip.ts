import * as tf from '@tensorflow/tfjs';

/** Saves a model through an in-memory handler and returns what was saved. */
export async function saveToMemory(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (saved === undefined) throw new Error('model.save saved nothing');
  return saved;
}

/** `model.save` → `tf.loadLayersModel`, in memory: the reloaded model. */
export async function saveAndLoad(model: tf.LayersModel): Promise<tf.LayersModel> {
  return tf.loadLayersModel(tf.io.fromMemory(await saveToMemory(model)));
}
