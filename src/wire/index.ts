export * from './envelope.js';
export * from './gettoken.js';
export * from './transfer-customer.js';
export * from './transfer-result.js';
export * from './contacts.js';
export * from './admin.js';
export * from './group-chats.js';
