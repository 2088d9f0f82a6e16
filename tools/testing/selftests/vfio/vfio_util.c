// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers shared by the VFIO selftests; see vfio_util.h.  Nothing here
 * asserts: every failure is returned as a negative errno, and every wait is
 * bounded so that a broken kernel fails a test instead of hanging the VM.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <linux/pci_regs.h>

#include "vfio_util.h"

const char *vfio_test_env(const char *name)
{
	static char line[256];
	size_t nlen = strlen(name);
	const char *v = getenv(name);
	FILE *f;

	if (v && *v)
		return v;

	f = fopen(VFIO_TEST_ENV_FILE, "r");
	if (!f)
		return NULL;
	v = NULL;
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *val;
		size_t l;

		if (!strncmp(p, "export ", 7))
			p += 7;
		if (strncmp(p, name, nlen) || p[nlen] != '=')
			continue;
		val = p + nlen + 1;
		l = strcspn(val, "\r\n");
		val[l] = '\0';
		if (l >= 2 && (val[0] == '"' || val[0] == '\'') &&
		    val[l - 1] == val[0]) {
			val[l - 1] = '\0';
			val++;
		}
		if (*val) {
			v = val;
			break;
		}
	}
	fclose(f);
	return v;
}

long vfio_ioctl(int fd, unsigned long request, void *arg)
{
	long ret = ioctl(fd, request, arg);

	return ret < 0 ? -errno : ret;
}

int vfio_open_container(void)
{
	int fd = open(VFIO_CONTAINER_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int vfio_group_id(const char *bdf)
{
	char path[PATH_MAX], link[PATH_MAX];
	const char *base;
	ssize_t n;
	char *end;
	long id;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group",
		 bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -errno;
	link[n] = '\0';
	base = strrchr(link, '/');
	base = base ? base + 1 : link;
	errno = 0;
	id = strtol(base, &end, 10);
	if (errno || *end || end == base || id < 0 || id > INT_MAX)
		return -EINVAL;
	return (int)id;
}

int vfio_open_group(const char *bdf)
{
	char path[64];
	int id = vfio_group_id(bdf);
	int fd;

	if (id < 0)
		return id;
	snprintf(path, sizeof(path), "/dev/vfio/%d", id);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		snprintf(path, sizeof(path), "/dev/vfio/noiommu-%d", id);
		fd = open(path, O_RDWR | O_CLOEXEC);
	}
	return fd < 0 ? -errno : fd;
}

int vfio_group_status(int group, uint32_t *flags)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	long ret = vfio_ioctl(group, VFIO_GROUP_GET_STATUS, &st);

	if (ret)
		return (int)ret;
	*flags = st.flags;
	return 0;
}

int vfio_group_set_container(int group, int container)
{
	return (int)vfio_ioctl(group, VFIO_GROUP_SET_CONTAINER, &container);
}

int vfio_group_unset_container(int group)
{
	return (int)vfio_ioctl(group, VFIO_GROUP_UNSET_CONTAINER, NULL);
}

int vfio_set_iommu(int container, unsigned long type)
{
	return (int)vfio_ioctl(container, VFIO_SET_IOMMU, (void *)type);
}

int vfio_get_device_fd(int group, const char *name)
{
	return (int)vfio_ioctl(group, VFIO_GROUP_GET_DEVICE_FD, (void *)name);
}

void vfio_dev_init(struct vfio_dev *d, const char *bdf)
{
	memset(d, 0, sizeof(*d));
	d->bdf = bdf;
	d->container = -1;
	d->group = -1;
	d->device = -1;
}

int vfio_dev_attach(struct vfio_dev *d, const char *bdf, int group,
		    int container, unsigned long type)
{
	int ret;

	vfio_dev_init(d, bdf);
	d->group = group;
	if (container < 0) {
		ret = vfio_open_container();
		if (ret < 0)
			return ret;
		d->container = ret;
	}
	ret = vfio_group_set_container(d->group,
				       container < 0 ? d->container : container);
	if (ret)
		return ret;
	if (container < 0) {
		ret = vfio_set_iommu(d->container, type);
		if (ret)
			return ret;
	}
	ret = vfio_get_device_fd(d->group, bdf);
	if (ret < 0)
		return ret;
	d->device = ret;
	ret = vfio_region_info(d->device, VFIO_PCI_CONFIG_REGION_INDEX,
			       &d->config);
	if (ret)
		return ret;
	return vfio_region_info(d->device, VFIO_PCI_BAR0_REGION_INDEX,
				&d->bar0);
}

int vfio_dev_open(struct vfio_dev *d, const char *bdf, unsigned long type)
{
	int group;

	vfio_dev_init(d, bdf);
	if (!bdf)
		return -ENODEV;
	group = vfio_open_group(bdf);
	if (group < 0)
		return group;
	if (vfio_noiommu_vm())
		type = VFIO_NOIOMMU_IOMMU;
	return vfio_dev_attach(d, bdf, group, -1, type);
}

void vfio_dev_close(struct vfio_dev *d)
{
	if (d->bar0_map)
		munmap(d->bar0_map, d->bar0.size);
	d->bar0_map = NULL;
	if (d->device >= 0)
		close(d->device);
	if (d->group >= 0)
		close(d->group);
	if (d->container >= 0)
		close(d->container);
	d->device = -1;
	d->group = -1;
	d->container = -1;
}

int vfio_region_info(int device, uint32_t index, struct vfio_region_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->argsz = sizeof(*ri);
	ri->index = index;
	return (int)vfio_ioctl(device, VFIO_DEVICE_GET_REGION_INFO, ri);
}

int vfio_irq_info(int device, uint32_t index, struct vfio_irq_info *ii)
{
	memset(ii, 0, sizeof(*ii));
	ii->argsz = sizeof(*ii);
	ii->index = index;
	return (int)vfio_ioctl(device, VFIO_DEVICE_GET_IRQ_INFO, ii);
}

int vfio_region_read(int device, const struct vfio_region_info *ri,
		     uint64_t off, void *buf, size_t len)
{
	ssize_t n = pread(device, buf, len, (off_t)(ri->offset + off));

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int vfio_region_write(int device, const struct vfio_region_info *ri,
		      uint64_t off, const void *buf, size_t len)
{
	ssize_t n = pwrite(device, buf, len, (off_t)(ri->offset + off));

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int vfio_irq_set_eventfd(int device, uint32_t index, int eventfd)
{
	char buf[sizeof(struct vfio_irq_set) + sizeof(int32_t)];
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;
	int32_t fd = eventfd;

	memset(buf, 0, sizeof(buf));
	set->index = index;
	set->start = 0;
	if (eventfd < 0) {
		/* count 0 with DATA_NONE disables the whole index */
		set->argsz = sizeof(*set);
		set->flags = VFIO_IRQ_SET_DATA_NONE |
			     VFIO_IRQ_SET_ACTION_TRIGGER;
		set->count = 0;
	} else {
		set->argsz = sizeof(buf);
		set->flags = VFIO_IRQ_SET_DATA_EVENTFD |
			     VFIO_IRQ_SET_ACTION_TRIGGER;
		set->count = 1;
		memcpy(set->data, &fd, sizeof(fd));
	}
	return (int)vfio_ioctl(device, VFIO_DEVICE_SET_IRQS, set);
}

int vfio_irq_unmask(int device, uint32_t index)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set),
		.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK,
		.index = index,
		.start = 0,
		.count = 1,
	};

	return (int)vfio_ioctl(device, VFIO_DEVICE_SET_IRQS, &set);
}

int vfio_eventfd_wait(int efd, int timeout_ms)
{
	struct pollfd pfd = { .fd = efd, .events = POLLIN };
	uint64_t cnt;
	int ret;

	do {
		ret = poll(&pfd, 1, timeout_ms);
	} while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return -errno;
	if (ret == 0)
		return 0;
	if (read(efd, &cnt, sizeof(cnt)) != sizeof(cnt))
		return -errno ? -errno : -EIO;
	return 1;
}

int vfio_map_dma(int container, void *vaddr, uint64_t iova, uint64_t size,
		 uint32_t flags)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = flags,
		.vaddr = (uintptr_t)vaddr,
		.iova = iova,
		.size = size,
	};

	return (int)vfio_ioctl(container, VFIO_IOMMU_MAP_DMA, &map);
}

int vfio_unmap_dma(int container, uint64_t iova, uint64_t size,
		   uint32_t flags, uint64_t *unmapped)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.flags = flags,
		.iova = iova,
		.size = size,
	};
	int ret = (int)vfio_ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap);

	if (!ret && unmapped)
		*unmapped = unmap.size;
	return ret;
}

void *vfio_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	/* Fault the pages in now: pinning untouched memory is slow in TCG. */
	memset(p, 0, size);
	return p;
}

void vfio_free(void *p, size_t size)
{
	if (p)
		munmap(p, size);
}

bool vfio_noiommu_vm(void)
{
	const char *iommu = vfio_test_env("VFIO_IOMMU");

	return iommu && !strcmp(iommu, "none");
}

bool vfio_stock_modules(void)
{
	return access("/sys/module/vfio_pci_core", F_OK) == 0;
}

int drop_cap(unsigned int cap)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	const unsigned int i = CAP_TO_INDEX(cap);
	const uint32_t bit = CAP_TO_MASK(cap);

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[i].effective &= ~bit;
	data[i].permitted &= ~bit;
	data[i].inheritable &= ~bit;
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	return 0;
}

int drop_cap_ipc_lock(void)
{
	return drop_cap(CAP_IPC_LOCK);
}

int vfio_write_file(const char *path, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return (int)n;
	return (size_t)n == len ? 0 : -EIO;
}

int vfio_read_line(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

void vfio_fill(uint8_t *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 7 + seed + (i >> 8));
}

size_t vfio_first_not(const uint8_t *p, size_t len, uint8_t c)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != c)
			break;
	return i;
}

int pci_driver_name(const char *bdf, char *buf, size_t len)
{
	char path[PATH_MAX], link[PATH_MAX];
	const char *base;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0) {
		if (errno != ENOENT)
			return -errno;
		n = 0;
	}
	link[n] = '\0';
	base = strrchr(link, '/');
	base = base ? base + 1 : link;
	snprintf(buf, len, "%s", base);
	return 0;
}

int pci_get_driver_override(const char *bdf, char *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path),
		 "/sys/bus/pci/devices/%s/driver_override", bdf);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return (int)n;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (!strcmp(buf, "(null)"))
		buf[0] = '\0';
	return 0;
}

int pci_set_driver_override(const char *bdf, const char *driver)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path),
		 "/sys/bus/pci/devices/%s/driver_override", bdf);
	/* a lone newline clears it */
	return vfio_write_file(path, *driver ? driver : "\n");
}

int pci_rebind(const char *bdf, const char *driver)
{
	char path[PATH_MAX], cur[64];
	int ret;

	ret = pci_driver_name(bdf, cur, sizeof(cur));
	if (ret)
		return ret;
	if (!strcmp(cur, driver))
		return 0;

	ret = pci_set_driver_override(bdf, driver);
	if (ret)
		return ret;
	if (cur[0]) {
		snprintf(path, sizeof(path),
			 "/sys/bus/pci/devices/%s/driver/unbind", bdf);
		ret = vfio_write_file(path, bdf);
		if (ret)
			return ret;
	}
	/* A failed probe is reported through the check below. */
	vfio_write_file("/sys/bus/pci/drivers_probe", bdf);

	ret = pci_driver_name(bdf, cur, sizeof(cur));
	if (ret)
		return ret;
	return strcmp(cur, driver) ? -ENXIO : 0;
}

int pci_parse_name(const char *bdf, unsigned int *segment, unsigned int *bus,
		   unsigned int *devfn)
{
	unsigned int slot, fn;
	int n = 0;

	if (sscanf(bdf, "%x:%x:%x.%x%n", segment, bus, &slot, &fn, &n) != 4 ||
	    bdf[n] || slot > 0x1f || fn > 7)
		return -EINVAL;
	*devfn = slot << 3 | fn;
	return 0;
}

long pci_config_size(const char *bdf)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	if (stat(path, &st))
		return -errno;
	return (long)st.st_size;
}

long long pci_bar_size(const char *bdf, unsigned int bar)
{
	unsigned long long start, end, flags;
	char path[PATH_MAX];
	unsigned int i;
	int ret = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", bdf);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	for (i = 0; i <= bar; i++) {
		if (fscanf(f, "%llx %llx %llx", &start, &end, &flags) != 3)
			break;
		if (i == bar)
			ret = 0;
	}
	fclose(f);
	if (ret)
		return ret;
	return end > start || (start && end == start) ?
		(long long)(end - start + 1) : 0;
}

int edu_map_bar0(struct vfio_dev *d)
{
	void *p;

	if (!(d->bar0.flags & VFIO_REGION_INFO_FLAG_MMAP))
		return -EINVAL;
	p = mmap(NULL, d->bar0.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 d->device, (off_t)d->bar0.offset);
	if (p == MAP_FAILED)
		return -errno;
	d->bar0_map = p;
	return 0;
}

/*
 * MMIO through the BAR mapping: relaxed atomics are single, untorn
 * accesses of the given width that the compiler may neither merge nor
 * drop.
 */
uint32_t edu_read32(struct vfio_dev *d, uint32_t reg)
{
	return __atomic_load_n((uint32_t *)(d->bar0_map + reg),
			       __ATOMIC_RELAXED);
}

void edu_write32(struct vfio_dev *d, uint32_t reg, uint32_t val)
{
	__atomic_store_n((uint32_t *)(d->bar0_map + reg), val,
			 __ATOMIC_RELAXED);
}

void edu_write64(struct vfio_dev *d, uint32_t reg, uint64_t val)
{
	__atomic_store_n((uint64_t *)(d->bar0_map + reg), val,
			 __ATOMIC_RELAXED);
}

int edu_open(struct vfio_dev *d, const char *bdf)
{
	int ret = vfio_dev_open(d, bdf, VFIO_TYPE1v2_IOMMU);

	if (!ret)
		ret = edu_map_bar0(d);
	return ret ? ret : edu_enable(d);
}

int edu_enable(struct vfio_dev *d)
{
	uint16_t cmd;
	int ret;

	ret = vfio_region_read(d->device, &d->config, PCI_COMMAND, &cmd,
			       sizeof(cmd));
	if (ret)
		return ret;
	cmd |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	ret = vfio_region_write(d->device, &d->config, PCI_COMMAND, &cmd,
				sizeof(cmd));
	if (ret)
		return ret;
	ret = vfio_region_read(d->device, &d->config, PCI_COMMAND, &cmd,
			       sizeof(cmd));
	if (ret)
		return ret;
	if ((cmd & (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER)) !=
	    (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER))
		return -EIO;
	return 0;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int edu_dma(struct vfio_dev *d, uint64_t iova, uint32_t off, uint32_t len,
	    bool to_ram)
{
	const struct timespec tick = { .tv_nsec = 1000000 };
	uint64_t dev_addr = EDU_DMA_BUF + off;
	uint64_t deadline;

	if (!len || len > EDU_DMA_MAX || off + len > EDU_DMA_MAX)
		return -EINVAL;
	/* A transfer still running would be clobbered: wait for it first. */
	deadline = now_ms() + EDU_DMA_TIMEOUT_MS;
	while (edu_read32(d, EDU_REG_DMA_CMD) & EDU_DMA_CMD_START) {
		if (now_ms() > deadline)
			return -EBUSY;
		nanosleep(&tick, NULL);
	}

	edu_write64(d, EDU_REG_DMA_SRC, to_ram ? dev_addr : iova);
	edu_write64(d, EDU_REG_DMA_DST, to_ram ? iova : dev_addr);
	edu_write64(d, EDU_REG_DMA_COUNT, len);
	edu_write32(d, EDU_REG_DMA_CMD, EDU_DMA_CMD_START |
		    (to_ram ? EDU_DMA_CMD_TO_RAM : 0));

	deadline = now_ms() + EDU_DMA_TIMEOUT_MS;
	while (edu_read32(d, EDU_REG_DMA_CMD) & EDU_DMA_CMD_START) {
		if (now_ms() > deadline)
			return -ETIMEDOUT;
		nanosleep(&tick, NULL);
	}
	return 0;
}

/*
 * The request is NAME.req, written under another name first and renamed so
 * that the harness never sees it half-written; the answer is NAME.reply:
 * "ok", or "error DESCRIPTION" (QEMU's).
 */
int vm_device_del(const char *id)
{
	const struct timespec tick = { .tv_nsec = 20 * 1000000 };
	static unsigned int seq;
	char dir[PATH_MAX], tmp[PATH_MAX + 64], req[PATH_MAX + 64];
	char reply[PATH_MAX + 64], line[256];
	const char *env = vfio_test_env("VFIO_VM_REQUESTS");
	uint64_t deadline;
	int ret = 0;
	FILE *f;

	if (!env || !*env)
		return -EOPNOTSUPP;
	snprintf(dir, sizeof(dir), "%s", env);
	snprintf(tmp, sizeof(tmp), "%s/%d-%u.tmp", dir, (int)getpid(), seq);
	snprintf(req, sizeof(req), "%s/%d-%u.req", dir, (int)getpid(), seq);
	snprintf(reply, sizeof(reply), "%s/%d-%u.reply", dir, (int)getpid(),
		 seq);
	seq++;

	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	if (fprintf(f, "device_del %s\n", id) < 0)
		ret = -EIO;
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, req))
		ret = -errno;
	if (ret) {
		unlink(tmp);
		return ret;
	}

	deadline = now_ms() + VM_REQUEST_TIMEOUT_MS;
	while (!(f = fopen(reply, "r"))) {
		if (errno != ENOENT)
			return -errno;
		if (now_ms() > deadline) {
			unlink(req);
			return -ETIMEDOUT;
		}
		nanosleep(&tick, NULL);
	}
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	unlink(reply);
	line[strcspn(line, "\n")] = '\0';
	if (!strcmp(line, "ok"))
		return 0;
	fprintf(stderr, "# device_del %s: %s\n", id, line);
	return strstr(line, "not found") ? -ENODEV : -EIO;
}
